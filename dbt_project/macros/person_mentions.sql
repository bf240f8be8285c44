{#-
  The staging models that mention a person, with the role the person plays and which rows
  are persons (organisations are enterprises, not persons). Adding a source = adding a line.
-#}
{% macro person_mention_models() -%}
    {{ return([
        {'model': 'stg_dc_population__persons', 'role': 'resident', 'where': 'true'},
        {'model': 'stg_ht_civil_status__events', 'role': 'event_subject', 'where': 'true'},
        {'model': 'stg_ct_residence__registrations', 'role': 'resident', 'where': 'true'},
        {'model': 'stg_dn_enterprise__enterprises', 'role': 'legal_representative', 'where': 'true'},
        {'model': 'stg_th_tax__taxpayers', 'role': 'taxpayer', 'where': "taxpayer_type = 'individual'"},
        {'model': 'stg_xh_social_insurance__participants', 'role': 'insured', 'where': 'true'},
        {'model': 'stg_yb_health_insurance__cards', 'role': 'card_holder', 'where': 'true'},
        {'model': 'stg_dd_land__parcels', 'role': 'land_user', 'where': 'true'},
        {'model': 'stg_xe_vehicle__vehicles', 'role': 'vehicle_owner', 'where': "owner_type = 'individual'"},
        {'model': 'stg_lx_driving_licence__licences', 'role': 'licence_holder', 'where': 'true'},
        {'model': 'stg_gd_education__learners', 'role': 'learner', 'where': 'true'},
        {'model': 'stg_yt_health__vaccinations', 'role': 'vaccinee', 'where': 'true'},
        {'model': 'stg_as_social_protection__beneficiaries', 'role': 'beneficiary', 'where': 'true'},
        {'model': 'stg_ld_labour__unemployment_claims', 'role': 'claimant', 'where': 'true'},
        {'model': 'stg_ll_judicial_records__records', 'role': 'record_subject', 'where': 'true'},
        {'model': 'stg_xc_passport__passports', 'role': 'passport_holder', 'where': 'true'},
    ]) }}
{%- endmacro %}

{#- The columns every person mention carries (the staging convention, docs/staging.md). -#}
{% macro person_mention_columns() -%}
    {{ return([
        'source_code', 'record_key', 'cccd', 'cccd_invalid_reason', 'cmnd', 'full_name', 'name_key',
        'birth_date', 'birth_date_precision', 'sex', 'phone', 'commune_code', 'province_code',
        'father_name', 'mother_name', 'bhxh', 'mst', 'source_updated_at', 'source_batch_id',
    ]) }}
{%- endmacro %}
