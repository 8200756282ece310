{% from '_deciding.sql' import deciding_key with context %}
{% from '_stages.sql' import with_case_facts, with_proceeding_flags with context -%}
-- The stages of the case-level relation `cases` (050_cases.sql), one table each, in a file of their own
-- because 050 lists the columns of the last one (columns_except reads a built table).
-- Stages, so that no statement holds more than two large hash-join build
-- sides (about one row per case or proceeding) at once: DuckDB keeps the build sides of every join of
-- one pipeline in memory together, which fails under the batch memory limit at full size (12M cases)
-- while each stage alone stays within it or spills (METHODOLOGY.md / ARCHITECTURE.md "Bounded memory").
CREATE OR REPLACE TEMP TABLE model_deciding_{{ key }} AS
WITH ranked AS (
    SELECT
        p.*,
        row_number() OVER (
            PARTITION BY p.idncase
            ORDER BY {{ deciding_key('p.state', 'p.comp_date', 'p.idnproceeding') | indent(12) }} DESC
        ) AS recency
    FROM model_proceedings_{{ key }} AS p
)
SELECT
    idncase, idnproceeding, state, decision_description, decision_class, case_type, comp_date, in_absentia,
    base_city_code, hearing_loc_code, ij_code, custody_code
FROM ranked
WHERE recency = 1;

-- The deciding proceeding with the case's start, its A_TblCase facts, its proceeding's criminal-charge
-- flags (035_charges.sql) and its asylum facts (040_applications.sql): one large join per statement.
CREATE OR REPLACE TEMP TABLE model_case_base1_{{ key }} AS
WITH starts AS (
    -- The first proceeding (lowest IDNPROCEEDING) starts the case: its NTA date, else its input date.
    SELECT idncase, arg_min(coalesce(osc_date, input_date), idnproceeding) AS start_date
    FROM model_proceedings_{{ key }}
    GROUP BY idncase
)
SELECT d.*, st.start_date
FROM model_deciding_{{ key }} AS d
LEFT JOIN starts AS st ON st.idncase = d.idncase;
DROP TABLE IF EXISTS model_deciding_{{ key }};

{{ with_case_facts('model_case_base2_' ~ key, 'model_case_base1_' ~ key, 'd') }}

{{ with_proceeding_flags('model_case_base3_' ~ key, 'model_case_base2_' ~ key, 'd', 'idnproceeding') }}

CREATE OR REPLACE TEMP TABLE model_case_base_{{ key }} AS
SELECT
    d.*,
    a.asylum_granted_any AS a_asylum_granted_any,
    a.asylum_case AS a_asylum_case,
    a.asylum_decision AS a_asylum_decision
FROM model_case_base3_{{ key }} AS d
LEFT JOIN model_asylum_{{ key }} AS a ON a.idncase = d.idncase;
DROP TABLE IF EXISTS model_case_base3_{{ key }};

CREATE OR REPLACE TEMP TABLE model_case_shaped_{{ key }} AS
SELECT
    d.idncase,
    d.idnproceeding AS deciding_proceeding,
    d.state AS deciding_state,
    d.decision_description,
    coalesce(d.case_type, upper(trim(d.c_case_type))) AS case_type,
    CASE WHEN d.state = 'final' THEN d.comp_date END AS completion_date,
    CASE
        WHEN d.state <> 'final' THEN NULL
        WHEN d.decision_class = 'relief_granted' AND coalesce(d.a_asylum_granted_any, false) THEN 'asylum_granted'
        ELSE d.decision_class
    END AS outcome,
    CASE WHEN d.state = 'unknown' THEN 'unknown_decision_code' END AS exclusion,
    d.start_date,
    d.base_city_code AS court_code,
    d.hearing_loc_code AS hearing_location_code,
    d.ij_code AS judge_code,
    coalesce(nullif(upper(trim(d.c_nat)), ''), NULL) AS nationality_code,
    coalesce(nullif(upper(trim(d.c_lang)), ''), NULL) AS language_code,
    d.custody_code AS custody_raw,
    CASE upper(trim(d.c_asy_type))
        WHEN 'I' THEN 'affirmative' WHEN 'E' THEN 'defensive' ELSE 'unknown'
    END AS asylum_type,
    d.state = 'final' AND coalesce(d.in_absentia, false) AS in_absentia,
    {% if options.representation == 'e28' %}
    d.c_e_28_date IS NOT NULL
        AND (d.state <> 'final' OR d.c_e_28_date <= d.comp_date) AS represented,
    {% else %}
    r.idncase IS NOT NULL AS represented,
    {% endif %}
    coalesce(d.a_asylum_case, false) AS asylum_case,
    d.a_asylum_decision AS asylum_decision,
    dq.defect,
    dq.application_defect,
    d.pf_crim_ind,
    d.pf_aggravate_felon,
    cf.crim_ind_any AS cf_crim_ind_any,
    cf.criminal_charge AS cf_criminal_charge,
    cf.aggravate_felon_any AS cf_aggravate_felon_any,
    cf.aggravated_charge AS cf_aggravated_charge
FROM model_case_base_{{ key }} AS d
LEFT JOIN model_defects_{{ key }} AS dq ON dq.idncase = d.idncase  -- 045_integrity.sql
LEFT JOIN model_case_flags_{{ key }} AS cf ON cf.idncase = d.idncase  -- 035_charges.sql
{% if options.representation == 'reps_table' %}
LEFT JOIN (
    SELECT DISTINCT IDNCASE AS idncase FROM src_tbl_RepsAssigned WHERE upper(trim(STRATTYTYPE)) = 'ALIEN'
) AS r ON r.idncase = d.idncase
{% endif %}
;
DROP TABLE IF EXISTS model_case_base_{{ key }};
