-- immcourt metric pending: pending at the end of each {{ time_dim }}; release {{ release_id }}
-- Each pending period [period_from, period_to) of a case (case_periods) enters the count in the
-- {{ time_dim }} holding period_from and leaves it in the one holding period_to, so the running sum of
-- entries minus exits is the count pending at each period's end. Every period from the first asked
-- (else the first with a pending case) to the last asked (else the one holding the release date, or
-- the last change when the release date is unknown) is listed for every
-- group, carrying its count through periods without a change.
WITH spans AS (
    SELECT
{%- for d in dims %}
        {{ d.expr }} AS {{ d.name }},
{%- endfor %}
        {{ enter }} AS enter_period,
        {{ leave }} AS leave_period
    FROM {{ cases_table }}
    WHERE {{ population }}
{%- for f in filters %}
        AND {{ f }}
{%- endfor %}
),
moves AS (
    SELECT {% for d in dims %}{{ d.name }}, {% endfor %}enter_period AS period, 1 AS change FROM spans
    UNION ALL
    SELECT {% for d in dims %}{{ d.name }}, {% endfor %}leave_period AS period, -1 AS change
    FROM spans WHERE leave_period IS NOT NULL
),
net AS (
    SELECT {% for d in dims %}{{ d.name }}, {% endfor %}period, SUM(change) AS change
    FROM moves
    GROUP BY {% for d in dims %}{{ d.name }}, {% endfor %}period
),
bounds AS (
    SELECT
        COALESCE({{ lo }}, MIN(enter_period)) AS lo,
        LEAST(COALESCE({{ lo }}, MIN(enter_period)), MIN(enter_period)) AS grid_lo,
        COALESCE({{ hi }}, GREATEST(MAX(enter_period), MAX(leave_period))) AS hi
    FROM spans
),
periods AS (
    SELECT UNNEST(RANGE(grid_lo, hi + 1)) AS period FROM bounds WHERE grid_lo <= hi
),
groups AS (
    SELECT DISTINCT {% for d in dims %}{{ d.name }}, {% endfor %}1 AS one FROM spans
    {%- if not dims %}
    UNION SELECT 1 AS one
    {%- endif %}
),
series AS (
    SELECT
        {% for d in dims %}g.{{ d.name }}, {% endfor %}p.period,
        CAST(SUM(COALESCE(net.change, 0)) OVER (
            {% if dims %}PARTITION BY {% for d in dims %}g.{{ d.name }}{% if not loop.last %}, {% endif %}{% endfor %}
            {% endif %}ORDER BY p.period ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW
        ) AS BIGINT) AS pending
    FROM groups AS g
    CROSS JOIN periods AS p
    LEFT JOIN net ON net.period = p.period{% for d in dims %}
        AND net.{{ d.name }} IS NOT DISTINCT FROM g.{{ d.name }}{% endfor %}
)
SELECT
    {% for d in dims %}series.{{ d.name }}, {% endfor %}{{ label }} AS {{ time_dim }},
    series.pending AS value,
    CAST(NULL AS BIGINT) AS numerator,
    CAST(NULL AS BIGINT) AS denominator,
    series.pending AS n
FROM series
CROSS JOIN bounds
WHERE series.period >= bounds.lo
ORDER BY {% for d in dims %}series.{{ d.name }}, {% endfor %}series.period
