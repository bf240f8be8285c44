{#-
  Typed casts for staging through dbt's cross-database macros, so models call one ndc macro
  (and the linter's stubs stay simple): to_bigint, to_double, null_text, split_text.
-#}
{% macro to_bigint(expr) -%}{{ dbt.safe_cast(expr, dbt.type_bigint()) }}{%- endmacro %}
{% macro to_double(expr) -%}{{ dbt.safe_cast(expr, dbt.type_float()) }}{%- endmacro %}
{% macro null_text() -%}cast(null as {{ dbt.type_string() }}){%- endmacro %}
{#- The n-th part (1-based) of a text split on a literal delimiter. -#}
{% macro split_text(expr, delimiter, part) -%}{{ dbt.split_part(expr, "'" ~ delimiter ~ "'", part) }}{%- endmacro %}
