-- by: fiscal_year
-- immcourt metric pending: pending at the end of each fiscal_year; release snapshot
-- Each pending period [period_from, period_to) of a case (case_periods) enters the count in the
-- fiscal_year holding period_from and leaves it in the one holding period_to, so the running sum of
-- entries minus exits is the count pending at each period's end. Every period from the first asked
-- (else the first with a pending case) to the last asked (else the one holding the release date, or
-- the last change when the release date is unknown) is listed for every
-- group, carrying its count through periods without a change.
WITH spans AS (
    SELECT
        CAST(YEAR(period_from) + CASE WHEN MONTH(period_from) >= 10 THEN 1 ELSE 0 END AS INTEGER) AS enter_period,
        CAST(YEAR(period_to) + CASE WHEN MONTH(period_to) >= 10 THEN 1 ELSE 0 END AS INTEGER) AS leave_period
    FROM case_periods_1a148ffc73
    WHERE pending
        AND (UPPER(COALESCE(nationality_name, nationality_code, 'unknown')) IN ('GUATEMALA') OR UPPER(nationality_code) IN ('GUATEMALA'))
),
moves AS (
    SELECT enter_period AS period, 1 AS change FROM spans
    UNION ALL
    SELECT leave_period AS period, -1 AS change
    FROM spans WHERE leave_period IS NOT NULL
),
net AS (
    SELECT period, SUM(change) AS change
    FROM moves
    GROUP BY period
),
bounds AS (
    SELECT
        COALESCE(2022, MIN(enter_period)) AS lo,
        LEAST(COALESCE(2022, MIN(enter_period)), MIN(enter_period)) AS grid_lo,
        COALESCE(2024, GREATEST(MAX(enter_period), MAX(leave_period))) AS hi
    FROM spans
),
periods AS (
    SELECT UNNEST(RANGE(grid_lo, hi + 1)) AS period FROM bounds WHERE grid_lo <= hi
),
groups AS (
    SELECT DISTINCT 1 AS one FROM spans
    UNION SELECT 1 AS one
),
series AS (
    SELECT
        p.period,
        CAST(SUM(COALESCE(net.change, 0)) OVER (
            ORDER BY p.period ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW
        ) AS BIGINT) AS pending
    FROM groups AS g
    CROSS JOIN periods AS p
    LEFT JOIN net ON net.period = p.period
)
SELECT
    CAST(series.period AS INTEGER) AS fiscal_year,
    series.pending AS value,
    CAST(NULL AS BIGINT) AS numerator,
    CAST(NULL AS BIGINT) AS denominator,
    series.pending AS n
FROM series
CROSS JOIN bounds
WHERE series.period >= bounds.lo
ORDER BY series.period

-- by: court, fiscal_year
-- immcourt metric pending: pending at the end of each fiscal_year; release snapshot
-- Each pending period [period_from, period_to) of a case (case_periods) enters the count in the
-- fiscal_year holding period_from and leaves it in the one holding period_to, so the running sum of
-- entries minus exits is the count pending at each period's end. Every period from the first asked
-- (else the first with a pending case) to the last asked (else the one holding the release date, or
-- the last change when the release date is unknown) is listed for every
-- group, carrying its count through periods without a change.
WITH spans AS (
    SELECT
        COALESCE(court_name, court_code, 'unknown') AS court,
        CAST(YEAR(period_from) + CASE WHEN MONTH(period_from) >= 10 THEN 1 ELSE 0 END AS INTEGER) AS enter_period,
        CAST(YEAR(period_to) + CASE WHEN MONTH(period_to) >= 10 THEN 1 ELSE 0 END AS INTEGER) AS leave_period
    FROM case_periods_1a148ffc73
    WHERE pending
        AND (UPPER(COALESCE(nationality_name, nationality_code, 'unknown')) IN ('GUATEMALA') OR UPPER(nationality_code) IN ('GUATEMALA'))
),
moves AS (
    SELECT court, enter_period AS period, 1 AS change FROM spans
    UNION ALL
    SELECT court, leave_period AS period, -1 AS change
    FROM spans WHERE leave_period IS NOT NULL
),
net AS (
    SELECT court, period, SUM(change) AS change
    FROM moves
    GROUP BY court, period
),
bounds AS (
    SELECT
        COALESCE(2022, MIN(enter_period)) AS lo,
        LEAST(COALESCE(2022, MIN(enter_period)), MIN(enter_period)) AS grid_lo,
        COALESCE(2024, GREATEST(MAX(enter_period), MAX(leave_period))) AS hi
    FROM spans
),
periods AS (
    SELECT UNNEST(RANGE(grid_lo, hi + 1)) AS period FROM bounds WHERE grid_lo <= hi
),
groups AS (
    SELECT DISTINCT court, 1 AS one FROM spans
),
series AS (
    SELECT
        g.court, p.period,
        CAST(SUM(COALESCE(net.change, 0)) OVER (
            PARTITION BY g.court
            ORDER BY p.period ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW
        ) AS BIGINT) AS pending
    FROM groups AS g
    CROSS JOIN periods AS p
    LEFT JOIN net ON net.period = p.period
        AND net.court IS NOT DISTINCT FROM g.court
)
SELECT
    series.court, CAST(series.period AS INTEGER) AS fiscal_year,
    series.pending AS value,
    CAST(NULL AS BIGINT) AS numerator,
    CAST(NULL AS BIGINT) AS denominator,
    series.pending AS n
FROM series
CROSS JOIN bounds
WHERE series.period >= bounds.lo
ORDER BY series.court, series.period
