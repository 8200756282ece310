-- by: fiscal_year
-- immcourt metric completions (count); release snapshot
SELECT
    fiscal_year AS fiscal_year,
    COUNT(*) AS value,
    CAST(NULL AS BIGINT) AS numerator,
    CAST(NULL AS BIGINT) AS denominator,
    COUNT(*) AS n
FROM cases_1a148ffc73
WHERE completion_date IS NOT NULL AND outcome IS NOT NULL
    AND (UPPER(nationality_name) IN ('GUATEMALA') OR UPPER(nationality_code) IN ('GUATEMALA'))
    AND defect IS NULL
    AND fiscal_year BETWEEN 2022 AND 2024
GROUP BY fiscal_year
ORDER BY fiscal_year

-- by: court, fiscal_year
-- immcourt metric completions (count); release snapshot
SELECT
    COALESCE(court_name, court_code, 'unknown') AS court,
    fiscal_year AS fiscal_year,
    COUNT(*) AS value,
    CAST(NULL AS BIGINT) AS numerator,
    CAST(NULL AS BIGINT) AS denominator,
    COUNT(*) AS n
FROM cases_1a148ffc73
WHERE completion_date IS NOT NULL AND outcome IS NOT NULL
    AND (UPPER(nationality_name) IN ('GUATEMALA') OR UPPER(nationality_code) IN ('GUATEMALA'))
    AND defect IS NULL
    AND fiscal_year BETWEEN 2022 AND 2024
GROUP BY COALESCE(court_name, court_code, 'unknown'), fiscal_year
ORDER BY court, fiscal_year
