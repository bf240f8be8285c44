{#-
  One row per source batch the platform has seen: the ledger's reconciliation counts (manifest =
  landed + quarantined), its status, the exact duplicate rows in the raw lake and the outcome of
  the batch's raw contract gate from the results history. The extract day is the date prefix of
  the batch id; the scorecard accumulates these rows day by day.
-#}
with

sources as (

    {% for src in quality_sources() %}
        select
            '{{ src.name }}' as source_name,
            '{{ src.code }}' as source_code
        {% if not loop.last %}union all{% endif %}
    {% endfor %}

),

ledger as (

    select
        source as source_name,
        batch_id,
        kind as batch_kind,
        status,
        extract_time,
        coalesce(rows_in_manifest, 0) as rows_in_manifest,
        coalesce(rows_landed, 0) as rows_landed,
        coalesce(rows_quarantined, 0) as rows_quarantined
    from {{ quality_batch_ledgers() }}

),

raw_rows as (

    {% for src in quality_sources() %}
        select
            '{{ src.name }}' as source_name,
            _batch_id as batch_id,
            count(*) as rows_raw,
            count(*) - count(distinct _row_hash) as rows_duplicate
        from {{ source('raw', src.name) }}
        group by 1, 2
        {% if not loop.last %}union all{% endif %}
    {% endfor %}

),

check_results as (

    select * from {{ source('quality', 'check_results') }}
    where asset like 'raw/%' and check_name = 'soda_contract' and partition is not null

),

latest_run as (

    -- a batch re-run appends new results: keep the latest evaluation of each batch
    select
        asset,
        partition,
        max(evaluated_at) as evaluated_at
    from check_results
    group by 1, 2

),

raw_gate as (

    select
        substr(check_results.asset, 5) as source_name,
        check_results.partition as batch_id,
        sum(case when check_results.outcome in ('passed', 'warn', 'failed', 'error') then 1 else 0 end)
            as raw_checks_evaluated,
        sum(case when check_results.outcome = 'passed' then 1 else 0 end) as raw_checks_passed,
        sum(case when check_results.outcome = 'warn' then 1 else 0 end) as raw_checks_warned,
        sum(case when check_results.outcome in ('failed', 'error') then 1 else 0 end) as raw_checks_failed
    from check_results
    inner join latest_run
        on check_results.asset = latest_run.asset
            and check_results.partition = latest_run.partition
            and check_results.evaluated_at = latest_run.evaluated_at
    group by 1, 2

),

final as (

    select
        ledger.source_name,
        sources.source_code,
        ledger.batch_id,
        {{ quality_batch_day('ledger.batch_id') }} as batch_day,
        ledger.batch_kind,
        ledger.status,
        ledger.extract_time,
        ledger.rows_in_manifest,
        ledger.rows_landed,
        ledger.rows_quarantined,
        coalesce(raw_rows.rows_raw, 0) as rows_raw,
        coalesce(raw_rows.rows_duplicate, 0) as rows_duplicate,
        coalesce(raw_gate.raw_checks_evaluated, 0) as raw_checks_evaluated,
        coalesce(raw_gate.raw_checks_passed, 0) as raw_checks_passed,
        coalesce(raw_gate.raw_checks_warned, 0) as raw_checks_warned,
        coalesce(raw_gate.raw_checks_failed, 0) as raw_checks_failed
    from ledger
    inner join sources on ledger.source_name = sources.source_name
    left join raw_rows on ledger.source_name = raw_rows.source_name and ledger.batch_id = raw_rows.batch_id
    left join raw_gate on ledger.source_name = raw_gate.source_name and ledger.batch_id = raw_gate.batch_id

)

select * from final
