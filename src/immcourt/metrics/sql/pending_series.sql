-- immcourt metric pending: pending at the end of each {{ period.name }}; release {{ release_id }}
-- A case enters the count in the period it starts and leaves it in the period of its final completion
-- (never before it starts), so the running sum of entries minus exits is the pending count at each
-- period end.
WITH events AS (
    SELECT
{%- for d in dims %}
        {{ d.expr }} AS {{ d.name }},
{%- endfor %}
        {{ period.of('start_date') }} AS period,
        1 AS change
    FROM {{ cases_table }}
    WHERE {{ population }}
{%- for f in filters %}
        AND {{ f }}
{%- endfor %}
    UNION ALL
    SELECT
{%- for d in dims %}
        {{ d.expr }} AS {{ d.name }},
{%- endfor %}
        {{ period.of('GREATEST(start_date, completion_date)') }} AS period,
        -1 AS change
    FROM {{ cases_table }}
    WHERE {{ population }} AND completion_date IS NOT NULL
{%- for f in filters %}
        AND {{ f }}
{%- endfor %}
),
net AS (
    SELECT {% for d in dims %}{{ d.name }}, {% endfor %}period, SUM(change) AS change,
        SUM(CASE WHEN change > 0 THEN 1 ELSE 0 END) AS entered
    FROM events
    GROUP BY {% for d in dims %}{{ d.name }}, {% endfor %}period
),
-- Every group gets every period that has any event, so a period in which a group has no event still
-- shows its carried-over count.
grid AS (
    SELECT {% for d in dims %}g.{{ d.name }}, {% endfor %}p.period
    FROM (SELECT DISTINCT period FROM net) AS p
    CROSS JOIN (SELECT DISTINCT {% for d in dims %}{{ d.name }}, {% endfor %}1 AS one FROM net) AS g
),
series AS (
    SELECT
        {% for d in dims %}grid.{{ d.name }}, {% endfor %}grid.period,
        {{ period.end('grid.period') }} AS period_end,
        CAST(SUM(COALESCE(net.change, 0)) OVER (
            {% if dims %}PARTITION BY {% for d in dims %}grid.{{ d.name }}{% if not loop.last %}, {% endif %}{% endfor %}
            {% endif %}ORDER BY grid.period ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW
        ) AS BIGINT) AS pending,
        SUM(COALESCE(net.entered, 0)) OVER (
            {% if dims %}PARTITION BY {% for d in dims %}grid.{{ d.name }}{% if not loop.last %}, {% endif %}{% endfor %}
            {% endif %}ORDER BY grid.period ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW
        ) AS started
    FROM grid
    LEFT JOIN net ON net.period = grid.period{% for d in dims %}
        AND net.{{ d.name }} IS NOT DISTINCT FROM grid.{{ d.name }}{% endfor %}
)
SELECT
    {% for d in dims %}{{ d.name }}, {% endfor %}period AS {{ period.name }},
    pending AS value,
    CAST(NULL AS BIGINT) AS numerator,
    CAST(NULL AS BIGINT) AS denominator,
    pending AS n
FROM series
WHERE started > 0
{%- for f in period_filters %}
    AND {{ f }}
{%- endfor %}
ORDER BY {% for d in dims %}{{ d.name }}, {% endfor %}{{ period.name }}
