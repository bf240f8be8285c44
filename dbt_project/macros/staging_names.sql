{#-
  Person names for staging (DOMAIN.md "Names"). person_name(expr) gives the canonical form:
    1. NFC, Ð (U+00D0) -> Đ (U+0110), single spaces            (canonical_name in text.sql)
    2. ALL-CAPS names (HT, LL, DD registers) -> Title Case per word; mixed-case names untouched
    3. old tone placement -> modern form at the end of a word: Hoà -> Hòa, Thuỷ -> Thủy (oa/oe/uy
       syllables without a final consonant; Hoàng, Quỳnh keep theirs)
  Names that arrive without any diacritics cannot be repaired here (the accents are lost); they
  are flagged by name_is_unaccented() and matched on name_key downstream.
-#}

{#- Capitalise the first letter of each space-separated word, lower-case the rest. -#}
{% macro initcap_words(expr) -%}{{ return(adapter.dispatch('initcap_words', 'ndc')(expr)) }}{%- endmacro %}
{% macro duckdb__initcap_words(expr) -%}
    array_to_string(list_transform(string_split(lower({{ expr }}), ' '), lambda w: upper(w[1]) || w[2:]), ' ')
{%- endmacro %}
{% macro default__initcap_words(expr) -%}initcap({{ expr }}){%- endmacro %}

{% macro old_to_new_tone_pairs() -%}
    {{ return([
        ('oà', 'òa'), ('oá', 'óa'), ('oả', 'ỏa'), ('oã', 'õa'), ('oạ', 'ọa'),
        ('oè', 'òe'), ('oé', 'óe'), ('oẻ', 'ỏe'), ('oẽ', 'õe'), ('oẹ', 'ọe'),
        ('uỳ', 'ùy'), ('uý', 'úy'), ('uỷ', 'ủy'), ('uỹ', 'ũy'), ('uỵ', 'ụy')]) }}
{%- endmacro %}

{#- Modern tone placement on word-final oa/oe/uy (portable: plain replace on a space-padded string). -#}
{% macro modern_tone(expr) -%}
    {%- set ns = namespace(sql="(" ~ expr ~ ") || ' '") -%}
    {%- for old, new in old_to_new_tone_pairs() -%}
        {%- set ns.sql = "replace(" ~ ns.sql ~ ", '" ~ old ~ " ', '" ~ new ~ " ')" -%}
    {%- endfor -%}
    rtrim({{ ns.sql }})
{%- endmacro %}

{% macro person_name(expr) -%}
    {%- set n = canonical_name(expr) -%}
    {{ modern_tone(
        "case when " ~ n ~ " = upper(" ~ n ~ ") and " ~ n ~ " <> lower(" ~ n ~ ") then "
        ~ initcap_words(n) ~ " else " ~ n ~ " end") }}
{%- endmacro %}

{#- True when a name carries no Vietnamese diacritic at all (stripped at entry, or an ASCII MRZ). -#}
{% macro name_is_unaccented(expr) -%}
    ({{ clean_text(expr) }} is not null and {{ strip_accents(nfc(expr)) }} = {{ nfc(expr) }}
        and {{ nfc(expr) }} not like '%Đ%' and {{ nfc(expr) }} not like '%đ%' and {{ nfc(expr) }} not like '%Ð%')
{%- endmacro %}
