{#-
  Standalone write-audit-publish for analysts: `dbt run-operation publish_layer --args '{layer: core}'`
  copies every table of <layer>_audit into <layer>. In the platform, the Dagster assets
  published/core and published/marts do this atomically, and only after the layer's gates pass.
-#}
{% macro publish_layer(layer) %}
    {%- set audited = run_query(
        "select table_name from information_schema.tables where table_schema = '" ~ layer ~ "_audit'"
    ).columns[0].values() -%}
    {%- do run_query("create schema if not exists " ~ layer) -%}
    {%- for table in audited -%}
        {%- do run_query(
            "create or replace table " ~ layer ~ "." ~ table ~ " as select * from " ~ layer ~ "_audit." ~ table
        ) -%}
        {{ log("published " ~ layer ~ "." ~ table, info=True) }}
    {%- endfor -%}
{% endmacro %}
