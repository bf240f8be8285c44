{#-
  Source dates in every format the sources use (DOMAIN.md "Dates"), portable SQL on top of the
  dispatched try_parse_date:
    ISO yyyy-mm-dd            -> that date, precision 'day'
    dd/mm/yyyy, d/m/yyyy       -> that date, precision 'day'
    d/m/yy                     -> century from the CCCD when it carries the same YY (G digit), else the
                                  latest century not after max_year; precision 'day'
    yyyy, 00/00/yyyy           -> 1 January of that year, precision 'year'
    01/01/yyyy                 -> kept, precision 'year' where the source is known to default unknown
                                  days to 1 January (HT, XH, LL, DD: defaults_0101=true)
  Anything else -> null.
-#}

{% macro _date_text(expr) -%}{{ clean_text(expr) }}{%- endmacro %}

{#- Four-digit year for a d/m/yy value. -#}
{% macro short_year_century(expr, cccd=none, max_year=none) -%}
    {%- set yy = dbt.split_part(_date_text(expr), "'/'", 3) -%}
    case
        {%- if cccd is not none %}
        when {{ regexp_matches(cccd, '[0-9]{12}') }} and substr({{ cccd }}, 5, 2) = {{ yy }}
            then 1900 + 100 * cast(floor(cast(substr({{ cccd }}, 4, 1) as integer) / 2) as integer) + cast({{ yy }} as integer)
        {%- endif %}
        when 2000 + cast({{ yy }} as integer) <= {{ max_year if max_year is not none else 'extract(year from current_date)' }}
            then 2000 + cast({{ yy }} as integer)
        else 1900 + cast({{ yy }} as integer)
    end
{%- endmacro %}

{% macro parse_source_date(expr, cccd=none, max_year=none) -%}
    {%- set x = _date_text(expr) -%}
    case
        when {{ regexp_matches(x, '[0-9]{4}-[0-9]{2}-[0-9]{2}') }} then {{ try_parse_date(x, '%Y-%m-%d') }}
        when {{ regexp_matches(x, '00/00/[0-9]{4}') }} then {{ try_parse_date("substr(" ~ x ~ ", 7, 4) || '-01-01'", '%Y-%m-%d') }}
        when {{ regexp_matches(x, '[0-9]{1,2}/[0-9]{1,2}/[0-9]{4}') }} then {{ try_parse_date(x, '%d/%m/%Y') }}
        when {{ regexp_matches(x, '[0-9]{1,2}/[0-9]{1,2}/[0-9]{2}') }} then {{ try_parse_date(
            dbt.split_part(x, "'/'", 1) ~ " || '/' || " ~ dbt.split_part(x, "'/'", 2) ~ " || '/' || cast("
            ~ short_year_century(expr, cccd, max_year) ~ " as varchar)", '%d/%m/%Y') }}
        when {{ regexp_matches(x, '[0-9]{4}') }} then {{ try_parse_date(x ~ " || '-01-01'", '%Y-%m-%d') }}
    end
{%- endmacro %}

{% macro source_date_precision(expr, defaults_0101=false) -%}
    {%- set x = _date_text(expr) -%}
    case
        when {{ parse_source_date(expr) }} is null then null
        when {{ regexp_matches(x, '[0-9]{4}') }} or {{ regexp_matches(x, '00/00/[0-9]{4}') }} then 'year'
        {%- if defaults_0101 %}
        when {{ regexp_matches(x, '0?1/0?1/[0-9]{4}') }} then 'year'
        {%- endif %}
        else 'day'
    end
{%- endmacro %}
