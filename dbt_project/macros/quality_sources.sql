{#-
  The sources the quality scorecard scores, with their two-letter code and staging model.
  tests/quality/test_scorecard_models.py checks this list against assets/sources (the registry),
  so a 17th source cannot be left out of the scorecard silently.
-#}
{% macro quality_sources() -%}
    {{ return([
        {'name': 'dc_population', 'code': 'DC', 'model': 'stg_dc_population__persons'},
        {'name': 'ht_civil_status', 'code': 'HT', 'model': 'stg_ht_civil_status__events'},
        {'name': 'ct_residence', 'code': 'CT', 'model': 'stg_ct_residence__registrations'},
        {'name': 'dn_enterprise', 'code': 'DN', 'model': 'stg_dn_enterprise__enterprises'},
        {'name': 'th_tax', 'code': 'TH', 'model': 'stg_th_tax__taxpayers'},
        {'name': 'xh_social_insurance', 'code': 'XH', 'model': 'stg_xh_social_insurance__participants'},
        {'name': 'yb_health_insurance', 'code': 'YB', 'model': 'stg_yb_health_insurance__cards'},
        {'name': 'dd_land', 'code': 'DD', 'model': 'stg_dd_land__parcels'},
        {'name': 'xe_vehicle', 'code': 'XE', 'model': 'stg_xe_vehicle__vehicles'},
        {'name': 'lx_driving_licence', 'code': 'LX', 'model': 'stg_lx_driving_licence__licences'},
        {'name': 'gd_education', 'code': 'GD', 'model': 'stg_gd_education__learners'},
        {'name': 'yt_health', 'code': 'YT', 'model': 'stg_yt_health__vaccinations'},
        {'name': 'as_social_protection', 'code': 'AS', 'model': 'stg_as_social_protection__beneficiaries'},
        {'name': 'ld_labour', 'code': 'LD', 'model': 'stg_ld_labour__unemployment_claims'},
        {'name': 'll_judicial_records', 'code': 'LL', 'model': 'stg_ll_judicial_records__records'},
        {'name': 'xc_passport', 'code': 'XC', 'model': 'stg_xc_passport__passports'},
    ]) }}
{%- endmacro %}

{#- The freshness SLA of a source in hours, from the raw source's meta (generated from the registry). -#}
{% macro quality_source_sla_hours(source_name) -%}
    {%- set default = 36 -%}
    {%- if execute -%}
        {%- for node in graph.get('sources', {}).values() -%}
            {%- if node.source_name == 'raw' and node.name == source_name -%}
                {{ return(node.meta.get('freshness_sla_hours', default)) }}
            {%- endif -%}
        {%- endfor -%}
    {%- endif -%}
    {{ return(default) }}
{%- endmacro %}

{#-
  The batch ledgers of the raw lake (one JSON document per batch) as a relation. Reading JSON
  is engine-specific, so it is dispatched: a Spark or Trino target adds its own implementation.
-#}
{% macro quality_batch_ledgers() -%}
    {{ return(adapter.dispatch('quality_batch_ledgers')()) }}
{%- endmacro %}

{% macro default__quality_batch_ledgers() -%}
    {{ exceptions.raise_compiler_error('quality_batch_ledgers has no implementation for ' ~ target.type) }}
{%- endmacro %}

{% macro duckdb__quality_batch_ledgers() -%}
    read_json(
        '{{ env_var("NDC_LAKE_ROOT", "../data/lake") }}/_ledger/*/*.json',
        format = 'auto',
        columns = {
            source: 'varchar', batch_id: 'varchar', kind: 'varchar', status: 'varchar',
            extract_time: 'timestamptz', rows_in_manifest: 'bigint', rows_landed: 'bigint',
            rows_quarantined: 'bigint'
        }
    )
{%- endmacro %}

{#- The extract day of a batch: batch ids start with the extract date (YYYYMMDD-NN). -#}
{% macro quality_batch_day(batch_id) -%}
    {{ try_parse_date('substr(' ~ batch_id ~ ', 1, 8)', '%Y%m%d') }}
{%- endmacro %}
