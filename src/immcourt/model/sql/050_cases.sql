{% from '_text.sql' import norm_desc %}
{% from '_time.sql' import time_columns with context %}
-- The case-level relation: one row per IDNCASE that has at least one proceeding.
-- The deciding proceeding (OUTCOMES.md section 5) has the greatest key of _deciding.sql.
-- Built from the stages of 048_case_stages.sql.
CREATE OR REPLACE TEMP TABLE {{ cases_table }} AS
SELECT
    {{ columns_except('model_case_shaped_' ~ key, 's', [
        'pf_crim_ind', 'pf_aggravate_felon', 'cf_crim_ind_any', 'cf_criminal_charge', 'cf_aggravate_felon_any',
        'cf_aggravated_charge',
    ]) }},
    {{ time_columns('s.completion_date', '') }},
    {{ time_columns('s.start_date', 'receipt_') }},
    court.name AS court_name,
    hloc.name AS hearing_location_name,
    judge.name AS judge_name,
    nat.name AS nationality_name,
    lang.name AS language_name,
    CASE WHEN cust.code IS NOT NULL THEN s.custody_raw END AS custody_code,
    coalesce(cust.name, 'unknown') AS custody,
    -- Criminal charges, aggravated felony (035_charges.sql: one column per rule) and the deciding
    -- completion's prosecutorial-discretion flag and description as the outcome map spells it.
    s.pf_crim_ind AS criminal_charge_deciding_proceeding,
    s.cf_crim_ind_any AS criminal_charge_any_proceeding,
    s.cf_criminal_charge AS criminal_charge_charges,
    s.pf_aggravate_felon AS aggravated_felony_deciding_proceeding,
    s.cf_aggravate_felon_any AS aggravated_felony_any_proceeding,
    s.cf_aggravated_charge AS aggravated_felony_charges,
    CASE WHEN s.deciding_state = 'final' THEN om.prosecutorial_discretion END AS prosecutorial_discretion,
    CASE WHEN s.deciding_state = 'final' THEN om.canonical_description END AS decision
FROM model_case_shaped_{{ key }} AS s
LEFT JOIN model_lu_court AS court ON court.code = s.court_code
LEFT JOIN model_lu_hearing_location AS hloc ON hloc.code = s.hearing_location_code
LEFT JOIN model_lu_judge AS judge ON judge.code = s.judge_code
LEFT JOIN model_lu_nationality AS nat ON nat.code = s.nationality_code
LEFT JOIN model_lu_language AS lang ON lang.code = s.language_code
LEFT JOIN model_lu_custody AS cust ON cust.code = s.custody_raw
LEFT JOIN model_outcome_map AS om ON om.description_key = {{ norm_desc('s.decision_description') }};
DROP TABLE IF EXISTS model_case_shaped_{{ key }};
