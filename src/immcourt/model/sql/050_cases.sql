{% from '_text.sql' import norm_desc %}
{% from '_time.sql' import time_columns with context %}
{% from '_deciding.sql' import deciding_key with context %}
-- The case-level relation: one row per IDNCASE that has at least one proceeding.
-- The deciding proceeding (OUTCOMES.md section 5) has the greatest key of _deciding.sql.
CREATE OR REPLACE TEMP TABLE {{ cases_table }} AS
WITH ranked AS (
    SELECT
        p.*,
        row_number() OVER (
            PARTITION BY p.idncase
            ORDER BY {{ deciding_key('p.state', 'p.comp_date', 'p.idnproceeding') | indent(12) }} DESC
        ) AS recency
    FROM model_proceedings_{{ key }} AS p
),
starts AS (
    -- The first proceeding (lowest IDNPROCEEDING) starts the case: its NTA date, else its input date.
    SELECT idncase, arg_min(coalesce(osc_date, input_date), idnproceeding) AS start_date
    FROM model_proceedings_{{ key }}
    GROUP BY idncase
),
deciding AS (
    SELECT * FROM ranked WHERE recency = 1
),
shaped AS (
    SELECT
        d.idncase,
        d.idnproceeding AS deciding_proceeding,
        d.state AS deciding_state,
        d.decision_description,
        coalesce(d.case_type, upper(trim(c.CASE_TYPE))) AS case_type,
        CASE WHEN d.state = 'final' THEN d.comp_date END AS completion_date,
        CASE
            WHEN d.state <> 'final' THEN NULL
            WHEN d.decision_class = 'relief_granted' AND coalesce(a.asylum_granted_any, false) THEN 'asylum_granted'
            ELSE d.decision_class
        END AS outcome,
        CASE WHEN d.state = 'unknown' THEN 'unknown_decision_code' END AS exclusion,
        st.start_date,
        d.base_city_code AS court_code,
        d.hearing_loc_code AS hearing_location_code,
        d.ij_code AS judge_code,
        coalesce(nullif(upper(trim(c.NAT)), ''), NULL) AS nationality_code,
        coalesce(nullif(upper(trim(c.LANG)), ''), NULL) AS language_code,
        d.custody_code AS custody_raw,
        CASE upper(trim(c.C_ASY_TYPE))
            WHEN 'I' THEN 'affirmative' WHEN 'E' THEN 'defensive' ELSE 'unknown'
        END AS asylum_type,
        d.state = 'final' AND coalesce(d.in_absentia, false) AS in_absentia,
        {% if options.representation == 'e28' %}
        c.E_28_DATE IS NOT NULL
            AND (d.state <> 'final' OR c.E_28_DATE <= d.comp_date) AS represented,
        {% else %}
        r.idncase IS NOT NULL AS represented,
        {% endif %}
        coalesce(a.asylum_case, false) AS asylum_case,
        a.asylum_decision,
        dq.defect,
        dq.application_defect
    FROM deciding AS d
    LEFT JOIN starts AS st ON st.idncase = d.idncase
    LEFT JOIN src_A_TblCase AS c ON c.IDNCASE = d.idncase
    LEFT JOIN model_asylum_{{ key }} AS a ON a.idncase = d.idncase
    LEFT JOIN model_defects_{{ key }} AS dq ON dq.idncase = d.idncase  -- 045_integrity.sql
    {% if options.representation == 'reps_table' %}
    LEFT JOIN (
        SELECT DISTINCT IDNCASE AS idncase FROM src_tbl_RepsAssigned WHERE upper(trim(STRATTYTYPE)) = 'ALIEN'
    ) AS r ON r.idncase = d.idncase
    {% endif %}
)
SELECT
    s.*,
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
    pf.crim_ind AS criminal_charge_deciding_proceeding,
    cf.crim_ind_any AS criminal_charge_any_proceeding,
    cf.criminal_charge AS criminal_charge_charges,
    pf.aggravate_felon AS aggravated_felony_deciding_proceeding,
    cf.aggravate_felon_any AS aggravated_felony_any_proceeding,
    cf.aggravated_charge AS aggravated_felony_charges,
    CASE WHEN s.deciding_state = 'final' THEN om.prosecutorial_discretion END AS prosecutorial_discretion,
    CASE WHEN s.deciding_state = 'final' THEN om.canonical_description END AS decision
FROM shaped AS s
LEFT JOIN model_lu_court AS court ON court.code = s.court_code
LEFT JOIN model_lu_hearing_location AS hloc ON hloc.code = s.hearing_location_code
LEFT JOIN model_lu_judge AS judge ON judge.code = s.judge_code
LEFT JOIN model_lu_nationality AS nat ON nat.code = s.nationality_code
LEFT JOIN model_lu_language AS lang ON lang.code = s.language_code
LEFT JOIN model_lu_custody AS cust ON cust.code = s.custody_raw
LEFT JOIN model_proceeding_flags_{{ key }} AS pf ON pf.idnproceeding = s.deciding_proceeding
LEFT JOIN model_case_flags_{{ key }} AS cf ON cf.idncase = s.idncase
LEFT JOIN model_outcome_map AS om ON om.description_key = {{ norm_desc('s.decision_description') }};
