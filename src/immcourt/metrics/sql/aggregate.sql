-- immcourt metric {{ metric.name }} ({{ metric.kind }}); release {{ release_id }}
{%- macro measures() %}
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
{%- endif %}
{%- endmacro %}
{%- if not grid %}
SELECT
{%- for d in dims %}
    {{ d.expr }} AS {{ d.name }},
{%- endfor %}
{{- measures() }}
{%- if dims %}
ORDER BY {% for d in dims %}{{ d.order }}{% if not loop.last %}, {% endif %}{% endfor %}
{%- endif %}
{%- else %}
-- Every {{ grid.name }} from the first to the last asked (else in the data) for every group: periods
-- without a record show {% if metric.kind == 'count' %}a count of 0{% else %}no value and n = 0{% endif %}.
WITH cells AS (
    SELECT
{%- for d in dims %}
        {{ d.expr }} AS {{ 'period' if d.time else d.name }},
{%- endfor %}
{{- measures() | indent(4) }}
),
bounds AS (
    SELECT COALESCE({{ grid.lo }}, MIN(period)) AS lo, COALESCE({{ grid.hi }}, MAX(period)) AS hi FROM cells
),
periods AS (
    SELECT UNNEST(RANGE(lo, hi + 1)) AS period FROM bounds WHERE lo <= hi
),
groups AS (
    SELECT DISTINCT {% for d in dims if not d.time %}{{ d.name }}, {% endfor %}1 AS one FROM cells
    {%- if dims | length == 1 %}
    UNION SELECT 1 AS one
    {%- endif %}
)
SELECT
{%- for d in dims %}
    {% if d.time %}{{ grid.label }}{% else %}g.{{ d.name }}{% endif %} AS {{ d.name }},
{%- endfor %}
{%- if metric.kind == 'count' %}
    COALESCE(c.value, 0) AS value,
{%- else %}
    c.value AS value,
{%- endif %}
{%- if metric.kind == 'share' %}
    COALESCE(c.numerator, 0) AS numerator,
    COALESCE(c.denominator, 0) AS denominator,
{%- else %}
    c.numerator AS numerator,
    c.denominator AS denominator,
{%- endif %}
    COALESCE(c.n, 0) AS n
FROM groups AS g
CROSS JOIN periods AS p
LEFT JOIN cells AS c ON c.period = p.period
{%- for d in dims if not d.time %}
    AND c.{{ d.name }} IS NOT DISTINCT FROM g.{{ d.name }}
{%- endfor %}
{%- if grid.only %}
WHERE p.period IN ({{ grid.only | join(', ') }})
{%- endif %}
ORDER BY {% for d in dims %}{% if d.time %}p.period{% else %}g.{{ d.name }}{% endif %}{% if not loop.last %}, {% endif %}{% endfor %}
{%- endif %}
