{#-
  The seven-principle scorecard: one row per source and extract day, each principle scored
  0-100 from the records and batches the platform held as of that day (staging records whose
  batch is of that day or earlier; ledgers of those batches; the platform clock = newest extract
  of any source up to that day). Formulas: quality_scorecard.yml and docs/quality.md.
-#}
{% set required_fields = ['identifier', 'full_name', 'birth_date', 'sex', 'commune_code'] %}
with

sources as (

    {% for src in quality_sources() %}
        select
            '{{ src.name }}' as source_name,
            '{{ src.code }}' as source_code,
            {{ quality_source_sla_hours(src.name) }} as freshness_sla_hours
        {% if not loop.last %}union all{% endif %}
    {% endfor %}

),

batches as (

    select * from {{ ref('quality_batches') }}

),

records as (

    select * from {{ ref('quality_source_records') }}

),

days as (

    select distinct batch_day as score_day
    from batches
    where batch_day is not null

),

first_days as (

    select
        source_name,
        min(batch_day) as first_day
    from batches
    group by 1

),

grid as (

    select
        sources.source_name,
        sources.source_code,
        sources.freshness_sla_hours,
        days.score_day
    from sources
    inner join first_days on sources.source_name = first_days.source_name
    inner join days on first_days.first_day <= days.score_day

),

batches_per_day as (

    select
        source_name,
        batch_day,
        count(*) as batches,
        sum(case when status = 'published' then 1 else 0 end) as batches_published,
        sum(rows_in_manifest) as rows_in_manifest,
        sum(rows_landed) as rows_landed,
        sum(rows_quarantined) as rows_quarantined,
        sum(rows_raw) as rows_raw,
        sum(rows_duplicate) as rows_duplicate,
        sum(raw_checks_evaluated) as raw_checks_evaluated,
        sum(raw_checks_passed + raw_checks_warned) as raw_checks_ok,
        max(case when status = 'published' then extract_time end) as last_published_extract_time,
        max(extract_time) as last_extract_time
    from batches
    group by 1, 2

),

carried as (

    -- the required fields each source carries at all (staging gives every source every column)
    select
        source_name,
        {% for field in required_fields %}
            max(has_{{ field }}) as carries_{{ field }}{% if not loop.last %},{% endif %}
        {% endfor %}
    from records
    group by 1

),

records_per_day as (

    select
        records.source_name,
        records.batch_day,
        count(*) as records,
        sum(records.identifier_values_tested + records.date_values_tested + records.phone_values_tested) as values_tested,
        sum(records.identifier_values_valid + records.date_values_valid + records.phone_values_valid) as values_valid,
        -- a required field counts only for the source's person records, and only if the source carries it
        sum(
            records.is_person_record
            * (
                {%- for field in required_fields %}
                    {% if not loop.first %}+ {% endif %}carried.carries_{{ field }}
                {%- endfor %}
            )
        )
            as required_values,
        sum(
            records.is_person_record
            * (
                {%- for field in required_fields %}
                    {% if not loop.first %}+ {% endif %}records.has_{{ field }} * carried.carries_{{ field }}
                {%- endfor %}
            )
        )
            as required_values_filled,
        sum(records.name_values + records.phone_values_tested) as canonical_values_tested,
        sum(records.name_canonical + records.phone_canonical) as canonical_values,
        sum(records.admin_values) as admin_values,
        sum(records.admin_unified) as admin_unified,
        sum(records.is_person_record) as person_records,
        sum(records.is_linked) as linked_records,
        sum(records.disagrees_with_register) as records_disagreeing,
        sum(records.of_deceased_person) as records_of_deceased,
        sum(records.active_after_death) as records_active_after_death,
        sum(records.usable_by_services) as records_usable
    from records
    inner join carried on records.source_name = carried.source_name
    group by 1, 2

),

{% set batch_measures = [
    'batches', 'batches_published', 'rows_in_manifest', 'rows_landed', 'rows_quarantined', 'rows_raw',
    'rows_duplicate', 'raw_checks_evaluated', 'raw_checks_ok',
] %}
{% set record_measures = [
    'records', 'values_tested', 'values_valid', 'required_values', 'required_values_filled',
    'canonical_values_tested', 'canonical_values', 'admin_values', 'admin_unified', 'person_records',
    'linked_records', 'records_disagreeing', 'records_of_deceased', 'records_active_after_death', 'records_usable',
] %}
as_of_day as (

    -- running totals: what the platform held at the end of each day
    select
        grid.source_name,
        grid.source_code,
        grid.freshness_sla_hours,
        grid.score_day,
        {% for measure in batch_measures %}
            sum(coalesce(batches_per_day.{{ measure }}, 0)) over running as {{ measure }},
        {% endfor %}
        {% for measure in record_measures %}
            sum(coalesce(records_per_day.{{ measure }}, 0)) over running as {{ measure }},
        {% endfor %}
        max(batches_per_day.last_published_extract_time) over running as last_published_extract_time,
        max(batches_per_day.last_extract_time) over running as last_extract_time
    from grid
    left join batches_per_day
        on grid.source_name = batches_per_day.source_name and grid.score_day = batches_per_day.batch_day
    left join records_per_day
        on grid.source_name = records_per_day.source_name and grid.score_day = records_per_day.batch_day
    window running as (partition by grid.source_name order by grid.score_day rows between unbounded preceding and current row)

),

clock as (

    -- the platform's simulated clock at the end of each day: the newest extract of any source so far
    select
        score_day,
        max(max(last_extract_time)) over (order by score_day rows between unbounded preceding and current row)
            as platform_time
    from as_of_day
    group by 1

),

ratios as (

    select
        as_of_day.*,
        clock.platform_time,
        {{ dbt.datediff('as_of_day.last_published_extract_time', 'clock.platform_time', 'minute') }} / 60.0
            as lag_hours,
        coalesce(1.0 * as_of_day.values_valid / nullif(as_of_day.values_tested, 0), 1.0) as validity_share,
        1.0 - coalesce(1.0 * as_of_day.records_disagreeing / nullif(as_of_day.linked_records, 0), 0.0) as agreement_share,
        coalesce(1.0 * as_of_day.required_values_filled / nullif(as_of_day.required_values, 0), 1.0) as filled_share,
        least(1.0, coalesce(1.0 * (as_of_day.rows_landed + as_of_day.rows_quarantined) / nullif(as_of_day.rows_in_manifest, 0), 1.0))
            as reconciled_share,
        coalesce(1.0 * as_of_day.rows_duplicate / nullif(as_of_day.rows_raw, 0), 0.0) as duplicate_rate,
        coalesce(1.0 * as_of_day.canonical_values / nullif(as_of_day.canonical_values_tested, 0), 1.0) as canonical_share,
        1.0 - coalesce(1.0 * as_of_day.records_active_after_death / nullif(as_of_day.records_of_deceased, 0), 0.0)
            as death_propagated_share,
        coalesce(1.0 * as_of_day.admin_unified / nullif(as_of_day.admin_values, 0), 1.0) as admin_unified_share,
        coalesce(1.0 * as_of_day.linked_records / nullif(as_of_day.person_records, 0), 0.0) as linked_share,
        coalesce(1.0 * as_of_day.raw_checks_ok / nullif(as_of_day.raw_checks_evaluated, 0), 0.0) as contract_pass_share,
        coalesce(1.0 * as_of_day.records_usable / nullif(as_of_day.person_records, 0), 0.0) as usable_share
    from as_of_day
    inner join clock on as_of_day.score_day = clock.score_day

),

timeliness as (

    select
        *,
        case
            when lag_hours is null then 0.0
            when lag_hours <= freshness_sla_hours then 1.0
            else greatest(0.0, 1.0 - (lag_hours - freshness_sla_hours) / freshness_sla_hours)
        end as timeliness_share
    from ratios

),

scores as (

    select
        *,
        round(100 * validity_share * agreement_share, 1) as score_dung,
        round(100 * filled_share * reconciled_share, 1) as score_du,
        round(100 * (1 - duplicate_rate) * canonical_share, 1) as score_sach,
        round(100 * timeliness_share * death_propagated_share, 1) as score_song,
        round(100 * admin_unified_share, 1) as score_thong_nhat,
        round(100 * linked_share, 1) as score_ket_noi,
        round(100 * contract_pass_share * usable_share, 1) as score_dung_chung
    from timeliness

),

final as (

    select
        source_name,
        source_code,
        score_day,
        score_dung,
        score_du,
        score_sach,
        score_song,
        score_thong_nhat,
        score_ket_noi,
        score_dung_chung,
        round(
            (score_dung + score_du + score_sach + score_song + score_thong_nhat + score_ket_noi + score_dung_chung) / 7,
            1
        ) as score_overall,
        records,
        batches,
        batches_published,
        validity_share,
        agreement_share,
        filled_share,
        reconciled_share,
        duplicate_rate,
        canonical_share,
        timeliness_share,
        death_propagated_share,
        admin_unified_share,
        linked_share,
        contract_pass_share,
        usable_share,
        values_tested,
        values_valid,
        records_disagreeing,
        linked_records,
        person_records,
        required_values,
        required_values_filled,
        rows_in_manifest,
        rows_landed,
        rows_quarantined,
        rows_raw,
        rows_duplicate,
        canonical_values_tested,
        canonical_values,
        freshness_sla_hours,
        lag_hours,
        last_published_extract_time,
        platform_time,
        records_of_deceased,
        records_active_after_death,
        admin_values,
        admin_unified,
        raw_checks_evaluated,
        raw_checks_ok,
        records_usable
    from scores

)

select * from final
