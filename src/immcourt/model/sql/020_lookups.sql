-- One name per code for every coded dimension; active rows win where a code appears twice.
{% for lookup in lookups %}
CREATE OR REPLACE TEMP TABLE model_lu_{{ lookup.name }} AS
SELECT code, name FROM (
    SELECT
        upper(trim({{ lookup.code }})) AS code,
        trim({{ lookup.label }}) AS name,
        row_number() OVER (
            PARTITION BY upper(trim({{ lookup.code }}))
            ORDER BY CASE WHEN trim(blnActive) IN ('1', 'True', 'true') THEN 0 ELSE 1 END, trim({{ lookup.label }})
        ) AS preference
    FROM src_{{ lookup.table }}
    WHERE {{ lookup.code }} IS NOT NULL AND trim({{ lookup.code }}) <> ''
)
WHERE preference = 1;
{% endfor %}
