-- by: fiscal_year
-- immcourt metric new_cases (count); release snapshot
SELECT
    receipt_fiscal_year AS fiscal_year,
    COUNT(*) AS value,
    CAST(NULL AS BIGINT) AS numerator,
    CAST(NULL AS BIGINT) AS denominator,
    COUNT(*) AS n
FROM cases_1a148ffc73
WHERE start_date IS NOT NULL AND exclusion IS NULL
    AND (UPPER(nationality_name) IN ('GUATEMALA') OR UPPER(nationality_code) IN ('GUATEMALA'))
    AND defect IS NULL
    AND receipt_fiscal_year BETWEEN 2022 AND 2024
GROUP BY receipt_fiscal_year
ORDER BY fiscal_year

-- by: court, fiscal_year
-- immcourt metric new_cases (count); release snapshot
SELECT
    COALESCE(court_name, court_code, 'unknown') AS court,
    receipt_fiscal_year AS fiscal_year,
    COUNT(*) AS value,
    CAST(NULL AS BIGINT) AS numerator,
    CAST(NULL AS BIGINT) AS denominator,
    COUNT(*) AS n
FROM cases_1a148ffc73
WHERE start_date IS NOT NULL AND exclusion IS NULL
    AND (UPPER(nationality_name) IN ('GUATEMALA') OR UPPER(nationality_code) IN ('GUATEMALA'))
    AND defect IS NULL
    AND receipt_fiscal_year BETWEEN 2022 AND 2024
GROUP BY COALESCE(court_name, court_code, 'unknown'), receipt_fiscal_year
ORDER BY court, fiscal_year
