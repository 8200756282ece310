-- by: fiscal_year
-- immcourt metric asylum_grant_rate (share); release snapshot
-- Every fiscal_year from the first to the last asked (else in the data) for every group: periods
-- without a record show no value and n = 0.
WITH cells AS (
    SELECT
        CAST(YEAR(decision_date) + CASE WHEN MONTH(decision_date) >= 10 THEN 1 ELSE 0 END AS INTEGER) AS period,
        CAST(SUM(CASE WHEN asylum_decision = 'granted' THEN 1 ELSE 0 END) AS DOUBLE) / COUNT(*) AS value,
        CAST(SUM(CASE WHEN asylum_decision = 'granted' THEN 1 ELSE 0 END) AS BIGINT) AS numerator,
        COUNT(*) AS denominator,
        COUNT(*) AS n
    FROM asylum_decisions_1a148ffc73
    WHERE decision_date IS NOT NULL AND asylum_decision IN ('granted', 'denied')
        AND (UPPER(COALESCE(nationality_name, nationality_code, 'unknown')) IN ('GUATEMALA') OR UPPER(nationality_code) IN ('GUATEMALA'))
        AND fiscal_year BETWEEN 2022 AND 2024
    GROUP BY CAST(YEAR(decision_date) + CASE WHEN MONTH(decision_date) >= 10 THEN 1 ELSE 0 END AS INTEGER)
),
bounds AS (
    SELECT COALESCE(2022, MIN(period)) AS lo, COALESCE(2024, MAX(period)) AS hi FROM cells
),
periods AS (
    SELECT UNNEST(RANGE(lo, hi + 1)) AS period FROM bounds WHERE lo <= hi
),
groups AS (
    SELECT DISTINCT 1 AS one FROM cells
    UNION SELECT 1 AS one
)
SELECT
    CAST(p.period AS INTEGER) AS fiscal_year,
    c.value AS value,
    COALESCE(c.numerator, 0) AS numerator,
    COALESCE(c.denominator, 0) AS denominator,
    COALESCE(c.n, 0) AS n
FROM groups AS g
CROSS JOIN periods AS p
LEFT JOIN cells AS c ON c.period = p.period
ORDER BY p.period

-- by: court, fiscal_year
-- immcourt metric asylum_grant_rate (share); release snapshot
-- Every fiscal_year from the first to the last asked (else in the data) for every group: periods
-- without a record show no value and n = 0.
WITH cells AS (
    SELECT
        COALESCE(court_name, court_code, 'unknown') AS court,
        CAST(YEAR(decision_date) + CASE WHEN MONTH(decision_date) >= 10 THEN 1 ELSE 0 END AS INTEGER) AS period,
        CAST(SUM(CASE WHEN asylum_decision = 'granted' THEN 1 ELSE 0 END) AS DOUBLE) / COUNT(*) AS value,
        CAST(SUM(CASE WHEN asylum_decision = 'granted' THEN 1 ELSE 0 END) AS BIGINT) AS numerator,
        COUNT(*) AS denominator,
        COUNT(*) AS n
    FROM asylum_decisions_1a148ffc73
    WHERE decision_date IS NOT NULL AND asylum_decision IN ('granted', 'denied')
        AND (UPPER(COALESCE(nationality_name, nationality_code, 'unknown')) IN ('GUATEMALA') OR UPPER(nationality_code) IN ('GUATEMALA'))
        AND fiscal_year BETWEEN 2022 AND 2024
    GROUP BY COALESCE(court_name, court_code, 'unknown'), CAST(YEAR(decision_date) + CASE WHEN MONTH(decision_date) >= 10 THEN 1 ELSE 0 END AS INTEGER)
),
bounds AS (
    SELECT COALESCE(2022, MIN(period)) AS lo, COALESCE(2024, MAX(period)) AS hi FROM cells
),
periods AS (
    SELECT UNNEST(RANGE(lo, hi + 1)) AS period FROM bounds WHERE lo <= hi
),
groups AS (
    SELECT DISTINCT court, 1 AS one FROM cells
)
SELECT
    g.court AS court,
    CAST(p.period AS INTEGER) AS fiscal_year,
    c.value AS value,
    COALESCE(c.numerator, 0) AS numerator,
    COALESCE(c.denominator, 0) AS denominator,
    COALESCE(c.n, 0) AS n
FROM groups AS g
CROSS JOIN periods AS p
LEFT JOIN cells AS c ON c.period = p.period
    AND c.court IS NOT DISTINCT FROM g.court
ORDER BY g.court, p.period
