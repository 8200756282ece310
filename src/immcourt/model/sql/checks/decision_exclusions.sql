-- Decided ASYL applications the decision metrics (asylum_decisions, asylum_grant_rate) leave out, and why.
SELECT 'ASYL decisions without a date (their proceeding has no COMP_DATE or is not in B_TblProceeding)' AS reason,
       count(*) AS records
FROM {{ decisions_table }} WHERE decision_date IS NULL;
