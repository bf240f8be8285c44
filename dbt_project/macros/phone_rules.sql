{#-
  Vietnamese mobile numbering plan, derived from Google's libphonenumber (Python package
  `phonenumbers` 9.0.43) at build time: the shortest exact 2/3/4-digit leading-digit prefixes of the
  national number (the 9 digits after the 0) that phonenumbers classifies as valid MOBILE numbers.
  tests/dbt/test_identifier_macros.py re-derives the lists from the installed phonenumbers (fails when
  they drift) and checks the SQL rule agrees with phonenumbers.is_valid_number on generated numbers.
-#}
{% macro vn_mobile_prefixes_2() -%}
    {{ return(['30', '31', '32', '33', '34', '35', '36', '37', '38', '39', '51', '56', '58', '59',
               '70', '76', '77', '78', '79', '81', '82', '83', '84', '85', '86', '87', '88', '90',
               '91', '92', '93', '94', '95', '96', '97', '98']) }}
{%- endmacro %}

{% macro vn_mobile_prefixes_3() -%}
    {{ return(['140', '160', '522', '523', '528', '559', '896', '897', '898', '899', '990', '991',
               '993', '994', '995', '996', '997', '998', '999']) }}
{%- endmacro %}

{% macro vn_mobile_prefixes_4() -%}
    {{ return(['1210', '1211', '1212', '1213']) }}
{%- endmacro %}

{#-
  Pre-2018 11-digit mobile prefixes and their 10-digit replacements (the 2018 renumbering by the
  Ministry of Information and Communications: Viettel 016x -> 03x, Mobifone/Vinaphone 012x -> 07x/08x,
  Vietnamobile 018x -> 05x, Gmobile 0199 -> 059). A stale number is converted, not discarded.
-#}
{% macro vn_stale_mobile_prefixes() -%}
    {{ return({
        '0162': '032', '0163': '033', '0164': '034', '0165': '035', '0166': '036', '0167': '037',
        '0168': '038', '0169': '039', '0120': '070', '0121': '079', '0122': '077', '0126': '076',
        '0128': '078', '0123': '083', '0124': '084', '0125': '085', '0127': '081', '0129': '082',
        '0186': '056', '0188': '058', '0199': '059'}) }}
{%- endmacro %}
