{#-
  Exchange product: active enterprises by province x sector (the first two digits of the main
  industry code, VSIC division). Not personal data, but a sole proprietorship in a rare cell is
  identifiable, so the same k applies: a cell under k is generalised to sector 'other' in its
  province; a residual still under k is suppressed.
-#}
{%- set k = var('exchange_k', 10) -%}
with

enterprises as (

    select * from {{ ref('enterprise') }}
    where status = 'active'

),

cells as (

    select
        coalesce(province_code, 'unknown') as province_code,
        coalesce(substr(industry_code, 1, 2), 'unknown') as sector,
        count(*) as enterprises
    from enterprises
    group by 1, 2

),

residuals as (

    select
        province_code,
        'other' as sector,
        sum(enterprises) as enterprises
    from cells
    where enterprises < {{ k }}
    group by 1, 2

),

final as (

    select
        province_code,
        sector,
        enterprises,
        false as generalised
    from cells
    where enterprises >= {{ k }}

    union all

    select
        province_code,
        sector,
        enterprises,
        true as generalised
    from residuals
    where enterprises >= {{ k }}

)

select * from final
