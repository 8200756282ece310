-- Records the model leaves out of every statistic, and why: one row per reason (zero counts included).
-- Built with the model and persisted next to it, so a later process reads these counts instead of
-- scanning the release's tables again on its first query.
CREATE OR REPLACE TEMP TABLE {{ exclusions_table }} AS
SELECT 'cases with an unknown decision code (DEC_CODE/OTHER_COMP not in the lookup for their case type)' AS reason,
       count(*) AS records
FROM {{ cases_table }} WHERE exclusion = 'unknown_decision_code'
UNION ALL
SELECT 'cases without any proceeding (A_TblCase rows not in B_TblProceeding)', count(*)
FROM src_A_TblCase AS c
WHERE NOT EXISTS (SELECT 1 FROM src_B_TblProceeding AS p WHERE p.IDNCASE = c.IDNCASE)
UNION ALL
SELECT 'cases without a start date (no OSC_DATE or INPUT_DATE on the first proceeding)', count(*)
FROM {{ cases_table }} WHERE start_date IS NULL
UNION ALL
SELECT 'proceeding dates that could not be parsed (set to NULL by ingest)', count(*)
FROM src_B_TblProceeding WHERE _issues LIKE '%bad_date%';
