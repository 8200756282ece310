{# Which proceeding decides a case (OUTCOMES.md section 5), as an ORDER BY whose first row decides.
   One definition for the case as it stands (050_cases.sql) and for the case as of any date
   (060_case_periods.sql). `state` is the proceeding's state (open, inactive, not_final, unknown, final)
   and `comp_date` its completion date (NULL while open); not_final completions are never chosen while
   another proceeding exists.
     last            completion date with open ones last, then IDNPROCEEDING: an open latest proceeding
                     makes the case pending;
     last_completed  the last completed proceeding; open (and inactive) ones only when none is completed. #}
{% macro deciding_order(state, comp_date, idnproceeding) -%}
CASE WHEN {{ state }} = 'not_final' THEN 0 ELSE 1 END DESC,
                {% if options.deciding_proceeding == 'last' -%}
                CASE WHEN {{ state }} = 'open' THEN 1 ELSE 0 END DESC,
                {%- else -%}
                CASE WHEN {{ state }} IN ('open', 'inactive') THEN 0 ELSE 1 END DESC,
                {%- endif %}
                {{ comp_date }} DESC NULLS FIRST,
                {{ idnproceeding }} DESC
{%- endmacro %}
