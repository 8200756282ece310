{# Join stages the model's wide relations share (048, 060, 070): each adds one large table's columns to the
   previous stage and drops it, so no statement holds more than one large hash-join build side
   (ARCHITECTURE.md, "Bounded memory in the model build"). #}
{% macro with_case_facts(target, source, alias) -%}
CREATE OR REPLACE TEMP TABLE {{ target }} AS
SELECT
    {{ alias }}.*,
    c.CASE_TYPE AS c_case_type,
    c.NAT AS c_nat,
    c.LANG AS c_lang,
    c.C_ASY_TYPE AS c_asy_type,
    c.E_28_DATE AS c_e_28_date
FROM {{ source }} AS {{ alias }}
LEFT JOIN src_A_TblCase AS c ON c.IDNCASE = {{ alias }}.idncase;
DROP TABLE IF EXISTS {{ source }};
{%- endmacro %}

{% macro with_proceeding_flags(target, source, alias, proceeding) -%}
CREATE OR REPLACE TEMP TABLE {{ target }} AS
SELECT {{ alias }}.*, pf.crim_ind AS pf_crim_ind, pf.aggravate_felon AS pf_aggravate_felon
FROM {{ source }} AS {{ alias }}
LEFT JOIN model_proceeding_flags_{{ key }} AS pf ON pf.idnproceeding = {{ alias }}.{{ proceeding }};
DROP TABLE IF EXISTS {{ source }};
{%- endmacro %}
