{% from '_deciding.sql' import deciding_key with context %}
{% from '_stages.sql' import with_proceeding_flags with context -%}
-- The case's states as intervals: one row per case and period [period_from, period_to) in which its
-- state as of every day is the same (period_to NULL: until further notice). The state on day t is
-- OUTCOMES.md section 5 evaluated as of t (section 6):
--   * only proceedings that exist on t count: the first one (lowest IDNPROCEEDING) from the case's
--     start_date, any other from its INPUT_DATE (else OSC_DATE), never before the case's start;
--   * a proceeding completed after t is open on t; not_final completions are skipped as usual;
--   * the case is pending on t when its deciding proceeding as of t is open, inactive (an
--     administrative closure under admin_closure_as = pending) or only not_final ones exist; a final
--     completion (or one with an unknown letter) ends it, and a later proceeding re-opens it.
-- States change only on those dates (and on the EOIR-28 date, which `represented` follows), so the
-- periods start at each such date. Cases without a start date have no period.
-- Written as stages (one table each, one large join per statement; see 048_case_stages.sql for why).
CREATE OR REPLACE TEMP TABLE model_procs1_{{ key }} AS
WITH firsts AS (
    SELECT idncase, min(idnproceeding) AS first_proceeding FROM model_proceedings_{{ key }} GROUP BY idncase
)
SELECT p.idncase, p.idnproceeding, p.input_date, p.osc_date, p.comp_date, p.state, f.first_proceeding
FROM model_proceedings_{{ key }} AS p
JOIN firsts AS f ON f.idncase = p.idncase;

CREATE OR REPLACE TEMP TABLE model_procs_{{ key }} AS
SELECT
    p.idncase,
    p.idnproceeding,
    p.comp_date,
    p.state,
    c.start_date,
    CASE
        WHEN p.idnproceeding = p.first_proceeding THEN c.start_date
        ELSE greatest(c.start_date, coalesce(p.input_date, p.osc_date, c.start_date))
    END AS opened
FROM model_procs1_{{ key }} AS p
JOIN {{ cases_table }} AS c ON c.idncase = p.idncase
WHERE c.start_date IS NOT NULL;
DROP TABLE IF EXISTS model_procs1_{{ key }};

CREATE OR REPLACE TEMP TABLE model_events_{{ key }} AS
SELECT DISTINCT idncase, day FROM (
    SELECT idncase, opened AS day FROM model_procs_{{ key }}
    UNION ALL
    SELECT idncase, comp_date FROM model_procs_{{ key }} WHERE comp_date > start_date
    {% if options.representation == 'e28' %}
    UNION ALL
    SELECT c.idncase, c.E_28_DATE FROM src_A_TblCase AS c
    JOIN {{ cases_table }} AS k ON k.idncase = c.IDNCASE
    WHERE c.E_28_DATE > k.start_date
    {% endif %}
);

CREATE OR REPLACE TEMP TABLE model_periods_{{ key }} AS
WITH as_of AS (
    -- Every proceeding that exists on each event day, in its state as of that day.
    SELECT
        e.idncase,
        e.day,
        p.idnproceeding,
        CASE WHEN p.comp_date IS NULL OR p.comp_date > e.day THEN 'open' ELSE p.state END AS state_then,
        CASE WHEN p.comp_date <= e.day THEN p.comp_date END AS comp_then
    FROM model_events_{{ key }} AS e
    JOIN model_procs_{{ key }} AS p ON p.idncase = e.idncase AND p.opened <= e.day
),
deciding AS (
    SELECT idncase, day, chosen.idnproceeding, chosen.state_then
    FROM (
        SELECT
            idncase,
            day,
            arg_max(
                {'idnproceeding': idnproceeding, 'state_then': state_then},
                {{ deciding_key('state_then', 'comp_then', 'idnproceeding') | indent(16) }}
            ) AS chosen
        FROM as_of
        GROUP BY idncase, day
    )
)
SELECT
    idncase,
    day AS period_from,
    lead(day) OVER (PARTITION BY idncase ORDER BY day) AS period_to,
    idnproceeding AS deciding_proceeding,
    state_then AS state
FROM deciding;
DROP TABLE IF EXISTS model_events_{{ key }};
DROP TABLE IF EXISTS model_procs_{{ key }};

-- The period's deciding proceeding, its criminal-charge flags and the case's EOIR-28 date.
CREATE OR REPLACE TEMP TABLE model_periods1_{{ key }} AS
SELECT
    s.*,
    p.case_type AS p_case_type,
    p.base_city_code AS p_base_city_code,
    p.hearing_loc_code AS p_hearing_loc_code,
    p.ij_code AS p_ij_code,
    p.custody_code AS p_custody_code
FROM model_periods_{{ key }} AS s
JOIN model_proceedings_{{ key }} AS p ON p.idnproceeding = s.deciding_proceeding;
DROP TABLE IF EXISTS model_periods_{{ key }};

{{ with_proceeding_flags('model_periods2_' ~ key, 'model_periods1_' ~ key, 's', 'deciding_proceeding') }}

CREATE OR REPLACE TEMP TABLE model_periods3_{{ key }} AS
SELECT
    s.*,
    {% if options.representation == 'e28' %}
    a.E_28_DATE AS a_e_28_date,
    {% endif %}
    court.name AS court_name,
    hloc.name AS hearing_location_name,
    judge.name AS judge_name,
    cust.code AS cust_code,
    cust.name AS cust_name
FROM model_periods2_{{ key }} AS s
{% if options.representation == 'e28' %}
LEFT JOIN src_A_TblCase AS a ON a.IDNCASE = s.idncase
{% endif %}
LEFT JOIN model_lu_court AS court ON court.code = s.p_base_city_code
LEFT JOIN model_lu_hearing_location AS hloc ON hloc.code = s.p_hearing_loc_code
LEFT JOIN model_lu_judge AS judge ON judge.code = s.p_ij_code
LEFT JOIN model_lu_custody AS cust ON cust.code = s.p_custody_code;
DROP TABLE IF EXISTS model_periods2_{{ key }};

CREATE OR REPLACE TEMP TABLE {{ periods_table }} AS
-- Every column of `cases` (so a dimension added there is a case-level fact of pending too), with the
-- proceeding-level ones replaced by those of the period's deciding proceeding, less the facts of the
-- case's completion (its outcome and dates would mislead next to a period's state). columns_except
-- (model/build.py) lists the others: one text for DuckDB and Spark SQL, which has no `* EXCLUDE/REPLACE`.
SELECT
    {{ columns_except(cases_table, 'c', [
        'decision_description', 'completion_date', 'outcome', 'exclusion', 'in_absentia', 'asylum_decision',
        'fiscal_year', 'calendar_year', 'month', 'administration',
        'receipt_fiscal_year', 'receipt_calendar_year', 'receipt_month', 'receipt_administration',
        'deciding_proceeding', 'case_type', 'court_code', 'court_name', 'hearing_location_code',
        'hearing_location_name', 'judge_code', 'judge_name', 'custody_raw', 'custody_code', 'custody',
        'criminal_charge_deciding_proceeding', 'aggravated_felony_deciding_proceeding', 'represented',
    ]) }},
    s.deciding_proceeding AS deciding_proceeding,
    s.p_case_type AS case_type,
    s.p_base_city_code AS court_code,
    s.court_name AS court_name,
    s.p_hearing_loc_code AS hearing_location_code,
    s.hearing_location_name AS hearing_location_name,
    s.p_ij_code AS judge_code,
    s.judge_name AS judge_name,
    s.p_custody_code AS custody_raw,
    CASE WHEN s.cust_code IS NOT NULL THEN s.p_custody_code END AS custody_code,
    coalesce(s.cust_name, 'unknown') AS custody,
    s.pf_crim_ind AS criminal_charge_deciding_proceeding,
    s.pf_aggravate_felon AS aggravated_felony_deciding_proceeding,
    {% if options.representation == 'e28' %}
    coalesce(s.a_e_28_date <= s.period_from, false) AS represented,
    {% else %}
    c.represented AS represented,
    {% endif %}
    s.period_from,
    s.period_to,
    s.state,
    s.state IN ('open', 'inactive', 'not_final') AS pending
FROM model_periods3_{{ key }} AS s
JOIN {{ cases_table }} AS c ON c.idncase = s.idncase;
DROP TABLE IF EXISTS model_periods3_{{ key }};
