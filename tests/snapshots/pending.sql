-- by: fiscal_year
-- immcourt metric pending: pending at the end of each fiscal_year; release snapshot
-- A case enters the count in the period it starts and leaves it in the period of its final completion
-- (never before it starts), so the running sum of entries minus exits is the pending count at each
-- period end.
WITH events AS (
    SELECT
        CAST(YEAR(start_date) + CASE WHEN MONTH(start_date) >= 10 THEN 1 ELSE 0 END AS INTEGER) AS period,
        1 AS change
    FROM cases_1a148ffc73
    WHERE start_date IS NOT NULL AND exclusion IS NULL
        AND (UPPER(nationality_name) IN ('GUATEMALA') OR UPPER(nationality_code) IN ('GUATEMALA'))
        AND defect IS NULL
    UNION ALL
    SELECT
        CAST(YEAR(GREATEST(start_date, completion_date)) + CASE WHEN MONTH(GREATEST(start_date, completion_date)) >= 10 THEN 1 ELSE 0 END AS INTEGER) AS period,
        -1 AS change
    FROM cases_1a148ffc73
    WHERE start_date IS NOT NULL AND exclusion IS NULL AND completion_date IS NOT NULL
        AND (UPPER(nationality_name) IN ('GUATEMALA') OR UPPER(nationality_code) IN ('GUATEMALA'))
        AND defect IS NULL
),
net AS (
    SELECT period, SUM(change) AS change,
        SUM(CASE WHEN change > 0 THEN 1 ELSE 0 END) AS entered
    FROM events
    GROUP BY period
),
-- Every group gets every period that has any event, so a period in which a group has no event still
-- shows its carried-over count.
grid AS (
    SELECT p.period
    FROM (SELECT DISTINCT period FROM net) AS p
    CROSS JOIN (SELECT DISTINCT 1 AS one FROM net) AS g
),
series AS (
    SELECT
        grid.period,
        MAKE_DATE(grid.period, 9, 30) AS period_end,
        CAST(SUM(COALESCE(net.change, 0)) OVER (
            ORDER BY grid.period ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW
        ) AS BIGINT) AS pending,
        SUM(COALESCE(net.entered, 0)) OVER (
            ORDER BY grid.period ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW
        ) AS started
    FROM grid
    LEFT JOIN net ON net.period = grid.period
)
SELECT
    period AS fiscal_year,
    pending AS value,
    CAST(NULL AS BIGINT) AS numerator,
    CAST(NULL AS BIGINT) AS denominator,
    pending AS n
FROM series
WHERE started > 0
    AND period BETWEEN 2022 AND 2024
ORDER BY fiscal_year

-- by: court, fiscal_year
-- immcourt metric pending: pending at the end of each fiscal_year; release snapshot
-- A case enters the count in the period it starts and leaves it in the period of its final completion
-- (never before it starts), so the running sum of entries minus exits is the pending count at each
-- period end.
WITH events AS (
    SELECT
        COALESCE(court_name, court_code, 'unknown') AS court,
        CAST(YEAR(start_date) + CASE WHEN MONTH(start_date) >= 10 THEN 1 ELSE 0 END AS INTEGER) AS period,
        1 AS change
    FROM cases_1a148ffc73
    WHERE start_date IS NOT NULL AND exclusion IS NULL
        AND (UPPER(nationality_name) IN ('GUATEMALA') OR UPPER(nationality_code) IN ('GUATEMALA'))
        AND defect IS NULL
    UNION ALL
    SELECT
        COALESCE(court_name, court_code, 'unknown') AS court,
        CAST(YEAR(GREATEST(start_date, completion_date)) + CASE WHEN MONTH(GREATEST(start_date, completion_date)) >= 10 THEN 1 ELSE 0 END AS INTEGER) AS period,
        -1 AS change
    FROM cases_1a148ffc73
    WHERE start_date IS NOT NULL AND exclusion IS NULL AND completion_date IS NOT NULL
        AND (UPPER(nationality_name) IN ('GUATEMALA') OR UPPER(nationality_code) IN ('GUATEMALA'))
        AND defect IS NULL
),
net AS (
    SELECT court, period, SUM(change) AS change,
        SUM(CASE WHEN change > 0 THEN 1 ELSE 0 END) AS entered
    FROM events
    GROUP BY court, period
),
-- Every group gets every period that has any event, so a period in which a group has no event still
-- shows its carried-over count.
grid AS (
    SELECT g.court, p.period
    FROM (SELECT DISTINCT period FROM net) AS p
    CROSS JOIN (SELECT DISTINCT court, 1 AS one FROM net) AS g
),
series AS (
    SELECT
        grid.court, grid.period,
        MAKE_DATE(grid.period, 9, 30) AS period_end,
        CAST(SUM(COALESCE(net.change, 0)) OVER (
            PARTITION BY grid.court
            ORDER BY grid.period ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW
        ) AS BIGINT) AS pending,
        SUM(COALESCE(net.entered, 0)) OVER (
            PARTITION BY grid.court
            ORDER BY grid.period ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW
        ) AS started
    FROM grid
    LEFT JOIN net ON net.period = grid.period
        AND net.court IS NOT DISTINCT FROM grid.court
)
SELECT
    court, period AS fiscal_year,
    pending AS value,
    CAST(NULL AS BIGINT) AS numerator,
    CAST(NULL AS BIGINT) AS denominator,
    pending AS n
FROM series
WHERE started > 0
    AND period BETWEEN 2022 AND 2024
ORDER BY court, fiscal_year
