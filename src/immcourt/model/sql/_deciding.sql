{# Which proceeding decides a case (OUTCOMES.md section 5): the one with the greatest key below.
   One definition for the case as it stands (050_cases.sql) and for the case as of any date
   (060_case_periods.sql). `state` is the proceeding's state (open, inactive, not_final, unknown, final)
   and `comp_date` its completion date (NULL while open); not_final completions are never chosen while
   another proceeding exists.
     last            completion date with open ones last, then IDNPROCEEDING: an open latest proceeding
                     makes the case pending;
     last_completed  the last completed proceeding; open (and inactive) ones only when none is completed.
   A struct compares field by field, so `max`/`arg_max` and ORDER BY ... DESC agree. #}
{% macro deciding_key(state, comp_date, idnproceeding) -%}
{
    'not_transfer': CASE WHEN {{ state }} = 'not_final' THEN 0 ELSE 1 END,
    {% if options.deciding_proceeding == 'last' -%}
    'tier': CASE WHEN {{ state }} = 'open' THEN 1 ELSE 0 END,
    {%- else -%}
    'tier': CASE WHEN {{ state }} IN ('open', 'inactive') THEN 0 ELSE 1 END,
    {%- endif %}
    'uncompleted': CASE WHEN {{ comp_date }} IS NULL THEN 1 ELSE 0 END,
    'completed_on': coalesce({{ comp_date }}, DATE '0001-01-01'),
    'idnproceeding': {{ idnproceeding }}
}
{%- endmacro %}
