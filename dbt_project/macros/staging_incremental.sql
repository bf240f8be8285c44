{#-
  Incremental staging for delta-fed sources.

  A staging model keeps the latest version of every natural key across all batches. Built
  incrementally it must give exactly what a full build gives, so an incremental build:
    1. finds the natural keys touched by batches ingested after the newest row already built
       (`staging_ingested_since_last_build`),
    2. re-reads *every* raw version of those keys (not only the new rows), so the latest-version
       pick sees the key's whole history and a late-arriving older version never wins,
    3. keeps a key whose latest version is a deletion as a tombstone (`source_deleted`), so
       delete+insert on `record_key` removes the row already built, and
    4. also re-reads the keys whose built version vanished from the raw lake (a batch re-landed
       with other content replaces its partition; a withdrawn batch disappears) and the raw keys
       absent from the table (deleted keys, which come back if their deletion is withdrawn; they
       cost one cheap re-read each build, as tombstones again), and
    5. drops the tombstones, and rows with no version left at all, in a post-hook
       (`staging_drop_tombstones`).
  The model config (materialized incremental, unique_key record_key, delete+insert) sits in dbt_project.yml.
  A full build (first run or `--full-refresh`) reads everything and never writes a tombstone.
  Only portable SQL here: `||`, `in (subquery)`, `not exists`, `coalesce`, `max`, `delete ... as alias`.
-#}

{% macro staging_ingested_since_last_build(ingested_at='_ingested_at') -%}
    {#- Ingestion time, not batch id: a rejected batch that is fixed and re-landed under its old id
        after newer batches were built is still picked up (re-ingesting stamps a new time). -#}
    (
        (select max(source_ingested_at) from {{ this }}) is null
        or {{ ingested_at }} > (select max(source_ingested_at) from {{ this }})
    )
{%- endmacro %}


{% macro staging_source(source_name, key_columns) -%}
    select * from {{ source('raw', source_name) }}
    {%- if is_incremental() %}
    where {{ record_key(key_columns) }} in (
        select {{ record_key(key_columns) }}
        from {{ source('raw', source_name) }}
        where {{ staging_ingested_since_last_build() }}
        union all
        select built.record_key
        from {{ this }} as built
        where {{ staging_version_vanished('built', source_name) }}
        union all
        select {{ record_key(key_columns) }}
        from {{ source('raw', source_name) }}
        where {{ record_key(key_columns) }} not in (select built.record_key from {{ this }} as built)
    )
    {%- endif %}
{%- endmacro %}


{% macro staging_version_vanished(built, source_name) -%}
    {#- The version a built row was taken from is no longer in the raw lake (its batch was replaced
        by a re-landed one with other content, or withdrawn). -#}
    not exists (
        select 1
        from {{ source('raw', source_name) }} as raw_versions
        where
            raw_versions._batch_id = {{ built }}.source_batch_id
            and raw_versions._row_hash = {{ built }}.source_row_hash
    )
{%- endmacro %}


{% macro staging_keeps_version(op_column='thao_tac') -%}
    {#- Full build: deletions simply disappear. Incremental: they travel as tombstones. -#}
    {%- if is_incremental() -%}
        true
    {%- else -%}
        coalesce(trim({{ op_column }}), '') <> 'D'
    {%- endif -%}
{%- endmacro %}


{% macro source_deleted(op_column='thao_tac') -%}
    coalesce(trim({{ op_column }}), '') = 'D'
{%- endmacro %}


{% macro staging_drop_tombstones() -%}
    {#- After the insert: deletions, and rows whose key has no version left in the raw lake at all
        (their key was re-read above and produced nothing). The source is named by the model:
        stg_<source>__<entity>. -#}
    {%- set source_name = this.identifier.split('__')[0][4:] -%}
    delete from {{ this }} as built
    where built.source_deleted or {{ staging_version_vanished('built', source_name) }}
{%- endmacro %}
