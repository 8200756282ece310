{# Text keys written once for both engines (DuckDB and Spark SQL, see immcourt/spark/): `[ \t\n\f\r]` is
   spelled out because DuckDB's RE2 and Spark's Java regexes disagree on what `\s` matches (vertical tab).
     norm_desc   a decision description compared whatever its case, dashes and runs of spaces;
     charge_key  a charge code compared case-insensitively with runs of spaces folded. #}
{% macro norm_desc(s) -%}
trim(regexp_replace(regexp_replace(lower({{ s }}), '[ \t\n\f\r]*[-‐‑‒–—―−][ \t\n\f\r]*', ' - ', 'g'), '[ \t\n\f\r]+', ' ', 'g'))
{%- endmacro %}
{% macro charge_key(s) -%}
upper(regexp_replace(trim({{ s }}), '[ \t\n\f\r]+', ' ', 'g'))
{%- endmacro %}
