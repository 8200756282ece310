{# Calendar columns derived from one date: fiscal year (October 1 to September 30, FY = year + 1 for
   October-December), calendar year, month 'YYYY-MM' and the administration in office: by the date
   itself, or (administration_by = fiscal_year) by the administration in office on March 31 of the
   fiscal year, i.e. for most of it. #}
{% macro fiscal_year(d) -%}
CAST(year({{ d }}) + CASE WHEN month({{ d }}) >= 10 THEN 1 ELSE 0 END AS INTEGER)
{%- endmacro %}
{% macro administration(d) -%}
CASE{% for a in administrations %}
        WHEN {{ d }} BETWEEN DATE '{{ a.first_day }}' AND DATE '{{ a.last_day }}' THEN '{{ a.administration }}'{% endfor %}
    END
{%- endmacro %}
{% macro time_columns(d, prefix) -%}
{{ fiscal_year(d) }} AS {{ prefix }}fiscal_year,
    CAST(year({{ d }}) AS INTEGER) AS {{ prefix }}calendar_year,
    strftime({{ d }}, '%Y-%m') AS {{ prefix }}month,
    {% if options.administration_by == 'fiscal_year' -%}
    {{ administration('make_date(' ~ fiscal_year(d) ~ ', 3, 31)') }} AS {{ prefix }}administration
    {%- else -%}
    {{ administration(d) }} AS {{ prefix }}administration
    {%- endif %}
{%- endmacro %}
