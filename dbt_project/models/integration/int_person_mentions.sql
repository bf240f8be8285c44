{#-
  Every record of every source that mentions a person, in one shape: the input to identity
  resolution. One row per (source record, role); `mention_id` is stable across runs. A column a
  source does not have (e.g. no birth date for enterprise representatives) is a typed null.
-#}
{% set null_types = {'birth_date': 'date', 'source_updated_at': 'timestamp'} %}
with

{% for spec in person_mention_models() %}
    {{ spec.model }} as (

        {%- set present = [] -%}
        {%- if execute -%}
        {%- set present = adapter.get_columns_in_relation(ref(spec.model)) | map(attribute='name') | map('lower') | list -%}
    {%- endif %}
        select
            {% for column in person_mention_columns() -%}
                {% if not execute or column in present %}{{ column }}{% else %}cast(null as {{ null_types.get(column, 'varchar') }}) as {{ column }}{% endif %},
            {% endfor -%}
            '{{ spec.role }}' as mention_role
        from {{ ref(spec.model) }}
        where {{ spec.where }}

    ),

{% endfor %}
unioned as (

    {% for spec in person_mention_models() %}
        select * from {{ spec.model }}
        {% if not loop.last %}union all{% endif %}
    {% endfor %}

),

final as (

    select
        {{ dbt.hash("source_code || ':' || mention_role || ':' || record_key") }} as mention_id,
        *
    from unioned

)

select * from final
