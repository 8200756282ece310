-- One row per proceeding with its decoded completion and its state:
--   open       no COMP_DATE
--   inactive   an administrative closure when admin_closure_as = 'pending': no completion, yet ordered
--              by its date like a completed proceeding
--   not_final  change of venue / transfer / to the BIA: never an outcome, the case goes on
--   unknown    completed, but its DEC_CODE / OTHER_COMP letter is not in the lookup for its case type
--   final      a completion with an outcome class
CREATE OR REPLACE TEMP TABLE model_proceedings_{{ key }} AS
WITH decoded AS (
    SELECT
        p.IDNPROCEEDING AS idnproceeding,
        p.IDNCASE AS idncase,
        coalesce(nullif(upper(trim(p.CASE_TYPE)), ''), upper(trim(c.CASE_TYPE))) AS case_type,
        p.OSC_DATE AS osc_date,
        p.INPUT_DATE AS input_date,
        p.COMP_DATE AS comp_date,
        upper(trim(p.BASE_CITY_CODE)) AS base_city_code,
        upper(trim(p.HEARING_LOC_CODE)) AS hearing_loc_code,
        upper(trim(p.IJ_CODE)) AS ij_code,
        upper(trim(p.CUSTODY)) AS custody_code,
        upper(trim(p.ABSENTIA)) = 'Y' AS in_absentia,
        nullif(upper(trim(p.DEC_CODE)), '') AS dec_code,
        nullif(upper(trim(p.OTHER_COMP)), '') AS other_comp
    FROM src_B_TblProceeding AS p
    LEFT JOIN src_A_TblCase AS c ON c.IDNCASE = p.IDNCASE
    WHERE p.IDNCASE IS NOT NULL
),
classified AS (
    SELECT
        d.*,
        coalesce(dc.description, oc.description) AS decision_description,
        coalesce(dc.outcome_class, oc.outcome_class) AS decision_class
    FROM decoded AS d
    LEFT JOIN model_decision_codes AS dc
        ON dc.dec_type = 'C' AND dc.case_type = d.case_type AND dc.dec_code = d.dec_code
    LEFT JOIN model_decision_codes AS oc
        ON oc.dec_type = 'O' AND oc.case_type = d.case_type AND oc.dec_code = d.other_comp
)
SELECT
    *,
    CASE
        WHEN comp_date IS NULL THEN 'open'
        WHEN decision_class IS NULL THEN 'unknown'
        WHEN decision_class = 'not_final' THEN 'not_final'
        {% if options.admin_closure_as == 'pending' %}
        WHEN decision_class = 'administratively_closed' THEN 'inactive'
        {% endif %}
        ELSE 'final'
    END AS state
FROM classified;
