{#- Email as a join key: trimmed, lower-cased, null when blank. -#}
{% macro normalize_email(expression) -%}
    nullif(lower(trim({{ expression }})), '')
{%- endmacro %}

{#- A syntactically valid address (one @, a dot in the domain, no spaces). Use on normalized values. -#}
{% macro email_is_valid(normalized) -%}
    coalesce({{ regexp_full_match(normalized, "[a-z0-9._%+-]+@[a-z0-9-]+(\\.[a-z0-9-]+)*\\.[a-z]{2,}") }}, false)
{%- endmacro %}

{#- ITU calling code of an ISO 3166-1 alpha-2 country. -#}
{% macro calling_code(country) -%}
    case upper({{ country }})
        {%- for iso, code in var('phone_calling_codes').items() %}
        when '{{ iso }}' then '{{ code }}'
        {%- endfor %}
    end
{%- endmacro %}

{#-
    A phone number as typed (+39 333 123 4567, 3331234567, 0039 333 1234567,
    333-123-4567, 07700 900123, (212) 555-0100) to E.164 (+393331234567).
    National numbers take the row's country, else var('default_phone_country').
    Trunk prefix 0 is dropped for countries that use one, also when written "+44 (0)..."; Italy keeps
    it (landlines). An Italian number of 11+ digits starting with 39 already has its country code.
    A national number on a record without a country is read as the default country's: a French
    "06 ..." there becomes +39 06... (ambiguous without the country; the identity graph still links
    it through the record's other identifiers).
-#}
{% macro phone_to_e164(expression, country=None) -%}
    {%- set digits = regexp_replace_all("replace(trim(" ~ expression ~ "), '(0)', '')", "[^0-9+]", "") -%}
    {%- set iso = "coalesce(upper(" ~ (country or "null") ~ "), '" ~ var('default_phone_country') ~ "')" -%}
    case
        when nullif({{ digits }}, '') is null then null
        when {{ digits }} like '+%' then '+' || replace({{ digits }}, '+', '')
        when {{ digits }} like '00%' then '+' || substr({{ digits }}, 3)
        when {{ iso }} in ('US', 'CA') and length({{ digits }}) = 11 and {{ digits }} like '1%' then '+' || {{ digits }}
        when {{ iso }} = 'IT' and {{ digits }} like '39%' and length({{ digits }}) >= 11 then '+' || {{ digits }}
        when {{ iso }} = 'IT' then '+39' || {{ digits }}
        when {{ digits }} like '0%' then '+' || {{ calling_code(iso) }} || substr({{ digits }}, 2)
        else '+' || {{ calling_code(iso) }} || {{ digits }}
    end
{%- endmacro %}

{#- E.164: a plus and 8 to 15 digits. -#}
{% macro phone_is_valid(e164) -%}
    coalesce({{ regexp_full_match(e164, "\\+[1-9][0-9]{7,14}") }}, false)
{%- endmacro %}

{#- Social handle as a join key: lower-cased, without leading @, null when blank. -#}
{% macro normalize_handle(expression) -%}
    nullif(lower(regexp_replace(trim({{ expression }}), '^@+', '')), '')
{%- endmacro %}
