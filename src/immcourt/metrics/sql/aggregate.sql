-- immcourt metric {{ metric.name }} ({{ metric.kind }}); release {{ release_id }}
SELECT
{%- for d in dims %}
    {{ d.expr }} AS {{ d.name }},
{%- endfor %}
{%- if metric.kind == 'share' %}
    CAST(SUM(CASE WHEN {{ numerator }} THEN 1 ELSE 0 END) AS DOUBLE) / COUNT(*) AS value,
    CAST(SUM(CASE WHEN {{ numerator }} THEN 1 ELSE 0 END) AS BIGINT) AS numerator,
    COUNT(*) AS denominator,
{%- elif metric.kind == 'median_days' %}
    CAST(MEDIAN(DATE_DIFF('day', start_date, completion_date)) AS DOUBLE) AS value,
    CAST(NULL AS BIGINT) AS numerator,
    CAST(NULL AS BIGINT) AS denominator,
{%- else %}
    COUNT(*) AS value,
    CAST(NULL AS BIGINT) AS numerator,
    CAST(NULL AS BIGINT) AS denominator,
{%- endif %}
    COUNT(*) AS n
FROM {{ cases_table }}
WHERE {{ population }}
{%- for f in filters %}
    AND {{ f }}
{%- endfor %}
{%- if dims %}
GROUP BY {% for d in dims %}{{ d.expr }}{% if not loop.last %}, {% endif %}{% endfor %}
ORDER BY {% for d in dims %}{{ d.order }}{% if not loop.last %}, {% endif %}{% endfor %}
{%- endif %}
