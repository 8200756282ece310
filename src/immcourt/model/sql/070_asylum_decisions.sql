{% from '_time.sql' import time_columns with context %}
{% from '_stages.sql' import with_case_facts, with_proceeding_flags with context -%}
-- Asylum decisions, one row per decided ASYL application (OUTCOMES.md section 4), whatever the case
-- became later: granted (APPL_DEC G F C I P L), denied (D), or other (A abandoned, W withdrawn,
-- O other; EOIR's "other"). M "not adjudicated" (moot when several applications were filed),
-- S admin closure, R reserved and T change of venue/transfer are not decisions on the application.
-- A decision is dated by the completion (COMP_DATE) of the proceeding it belongs to; a decision whose
-- proceeding has no completion date (or is not in B_TblProceeding) is undated: decision_date NULL,
-- left out of the decision metrics and counted in their exclusions.
-- Court, hearing location, judge, custody, case type and in absentia are those of that proceeding;
-- nationality, language, asylum type and asylum_case those of the case; represented (option
-- representation = e28) means an EOIR-28 date on or before the decision date.
-- Written as stages (one table each, one large join per statement; see 048_case_stages.sql for why).
CREATE OR REPLACE TEMP TABLE model_apps1_{{ key }} AS
WITH apps AS (
    SELECT
        a.IDNPROCEEDINGAPPLN AS idnproceedingappln,
        a.IDNPROCEEDING AS idnproceeding,
        a.IDNCASE AS idncase,
        upper(trim(a.APPL_DEC)) AS appl_dec
    FROM src_tbl_Court_Appln AS a
    WHERE a.IDNCASE IS NOT NULL
        AND upper(trim(a.APPL_CODE)) = 'ASYL'
        AND upper(trim(a.APPL_DEC)) IN ('G', 'F', 'C', 'I', 'P', 'L', 'D', 'A', 'W', 'O')
)
SELECT
    apps.*,
    p.comp_date AS p_comp_date,
    p.case_type AS p_case_type,
    p.base_city_code AS p_base_city_code,
    p.hearing_loc_code AS p_hearing_loc_code,
    p.ij_code AS p_ij_code,
    p.custody_code AS p_custody_code,
    p.state AS p_state,
    p.in_absentia AS p_in_absentia
FROM apps
LEFT JOIN model_proceedings_{{ key }} AS p ON p.idnproceeding = apps.idnproceeding;

{{ with_case_facts('model_apps2_' ~ key, 'model_apps1_' ~ key, 'apps') }}

CREATE OR REPLACE TEMP TABLE model_apps3_{{ key }} AS
SELECT apps.*, ma.asylum_case AS ma_asylum_case
FROM model_apps2_{{ key }} AS apps
LEFT JOIN model_asylum_{{ key }} AS ma ON ma.idncase = apps.idncase;
DROP TABLE IF EXISTS model_apps2_{{ key }};

{{ with_proceeding_flags('model_apps4_' ~ key, 'model_apps3_' ~ key, 'apps', 'idnproceeding') }}

CREATE OR REPLACE TEMP TABLE model_apps_shaped_{{ key }} AS
SELECT
    apps.idnproceedingappln,
    apps.idncase,
    apps.idnproceeding,
    apps.appl_dec,
    CASE
        WHEN apps.appl_dec IN ('G', 'F', 'C', 'I', 'P', 'L') THEN 'granted'
        WHEN apps.appl_dec = 'D' THEN 'denied'
        ELSE 'other'
    END AS asylum_decision,
    apps.p_comp_date AS decision_date,
    coalesce(apps.p_case_type, upper(trim(apps.c_case_type))) AS case_type,
    apps.p_base_city_code AS court_code,
    apps.p_hearing_loc_code AS hearing_location_code,
    apps.p_ij_code AS judge_code,
    apps.p_custody_code AS custody_raw,
    coalesce(apps.p_state = 'final' AND apps.p_in_absentia, false) AS in_absentia,
    nullif(upper(trim(apps.c_nat)), '') AS nationality_code,
    nullif(upper(trim(apps.c_lang)), '') AS language_code,
    CASE upper(trim(apps.c_asy_type))
        WHEN 'I' THEN 'affirmative' WHEN 'E' THEN 'defensive' ELSE 'unknown'
    END AS asylum_type,
    coalesce(apps.ma_asylum_case, false) AS asylum_case,
    {% if options.representation == 'e28' %}
    coalesce(apps.c_e_28_date <= apps.p_comp_date, false) AS represented,
    {% else %}
    r.idncase IS NOT NULL AS represented,
    {% endif %}
    apps.pf_crim_ind,
    apps.pf_aggravate_felon,
    court.name AS court_name,
    hloc.name AS hearing_location_name,
    judge.name AS judge_name,
    nat.name AS nationality_name,
    lang.name AS language_name,
    cust.code AS cust_code,
    cust.name AS cust_name
FROM model_apps4_{{ key }} AS apps
LEFT JOIN model_lu_court AS court ON court.code = apps.p_base_city_code
LEFT JOIN model_lu_hearing_location AS hloc ON hloc.code = apps.p_hearing_loc_code
LEFT JOIN model_lu_judge AS judge ON judge.code = apps.p_ij_code
LEFT JOIN model_lu_nationality AS nat ON nat.code = nullif(upper(trim(apps.c_nat)), '')
LEFT JOIN model_lu_language AS lang ON lang.code = nullif(upper(trim(apps.c_lang)), '')
LEFT JOIN model_lu_custody AS cust ON cust.code = apps.p_custody_code
{% if options.representation == 'reps_table' %}
LEFT JOIN (
    SELECT DISTINCT IDNCASE AS idncase FROM src_tbl_RepsAssigned WHERE upper(trim(STRATTYTYPE)) = 'ALIEN'
) AS r ON r.idncase = apps.idncase
{% endif %}
;
DROP TABLE IF EXISTS model_apps4_{{ key }};

CREATE OR REPLACE TEMP TABLE {{ decisions_table }} AS
-- Every column of `cases` (a dimension added there applies to decisions too, as a fact of the case),
-- with the decision's own values in place of the case's (columns_except, model/build.py: one text for
-- DuckDB and Spark SQL, which has no `* REPLACE`).
SELECT
    {{ columns_except(cases_table, 'c', [
        'idncase', 'asylum_decision', 'case_type', 'court_code', 'court_name', 'hearing_location_code',
        'hearing_location_name', 'judge_code', 'judge_name', 'custody_raw', 'custody_code', 'custody',
        'in_absentia', 'nationality_code', 'nationality_name', 'language_code', 'language_name',
        'asylum_type', 'asylum_case', 'represented', 'criminal_charge_deciding_proceeding',
        'aggravated_felony_deciding_proceeding', 'fiscal_year', 'calendar_year', 'month', 'administration',
    ]) }},
    s.idncase AS idncase,
    s.asylum_decision AS asylum_decision,
    s.case_type AS case_type,
    s.court_code AS court_code,
    s.court_name AS court_name,
    s.hearing_location_code AS hearing_location_code,
    s.hearing_location_name AS hearing_location_name,
    s.judge_code AS judge_code,
    s.judge_name AS judge_name,
    s.custody_raw AS custody_raw,
    CASE WHEN s.cust_code IS NOT NULL THEN s.custody_raw END AS custody_code,
    coalesce(s.cust_name, 'unknown') AS custody,
    s.in_absentia AS in_absentia,
    s.nationality_code AS nationality_code,
    s.nationality_name AS nationality_name,
    s.language_code AS language_code,
    s.language_name AS language_name,
    s.asylum_type AS asylum_type,
    s.asylum_case AS asylum_case,
    s.represented AS represented,
    s.pf_crim_ind AS criminal_charge_deciding_proceeding,
    s.pf_aggravate_felon AS aggravated_felony_deciding_proceeding,
    {{ time_columns('s.decision_date', '') }},
    s.idnproceedingappln,
    s.idnproceeding,
    s.appl_dec,
    s.decision_date
FROM model_apps_shaped_{{ key }} AS s
LEFT JOIN {{ cases_table }} AS c ON c.idncase = s.idncase;
DROP TABLE IF EXISTS model_apps_shaped_{{ key }};
