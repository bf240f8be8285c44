{#-
  Expose the raw lake inside the warehouse as views raw.<source> (over the same Parquet files
  the sources read), so analysts can query every layer from one DuckDB file. Runs at the start
  of every dbt invocation; a source with no published batch yet gets no view.
-#}
{% macro create_raw_views() -%}
    {{ return(adapter.dispatch('create_raw_views', 'ndc')()) }}
{%- endmacro %}

{% macro default__create_raw_views() -%}
    select 1
{%- endmacro %}

{% macro duckdb__create_raw_views() -%}
    {%- if execute -%}
        {%- set statements = ["create schema if not exists raw"] -%}
        {%- for node in graph.sources.values() if node.source_name == 'raw' -%}
            {%- set location = node.meta.get('external_location') or node.source_meta.get('external_location') -%}
            {%- if location -%}
                {%- set location = location.format(name=node.name) -%}
                {%- set files_glob = location.split("'")[1] -%}
                {%- set found = run_query("select count(*) from glob('" ~ files_glob ~ "')").columns[0].values()[0] -%}
                {%- if found > 0 -%}
                    {%- do statements.append("create or replace view raw." ~ node.name ~ " as select * from " ~ location) -%}
                {%- endif -%}
            {%- endif -%}
        {%- endfor -%}
        {{ statements | join(";\n") }}
    {%- else -%}
        select 1
    {%- endif -%}
{%- endmacro %}
