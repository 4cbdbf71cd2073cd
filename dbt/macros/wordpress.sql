{#-
    HTML to plain text, for the rendered fields of blog tools (WordPress title.rendered,
    content.rendered, excerpt.rendered; the generic blog CSV): tags removed (block ends and
    <br> become spaces), HTML entities decoded, whitespace collapsed, blank = null.

    Entities: every numeric one (&#8217; &#x2019;), and the named ones WordPress and common
    editors emit (html_named_entities below). Tags are removed before entities are decoded, so
    an encoded "&lt;b&gt;" stays visible text; "&amp;" is decoded last, so a double-encoded
    "&amp;#8217;" becomes the text "&#8217;", as a browser shows it.
    Behind adapter.dispatch: the numeric decoding needs list lambdas (DuckDB) or higher-order
    functions (Spark).
-#}

{%- macro html_named_entities() -%}
    {{ return({
        'nbsp': ' ', 'quot': '"', 'apos': "'", 'lt': '<', 'gt': '>',
        'hellip': '…', 'ndash': '–', 'mdash': '—', 'lsquo': '‘', 'rsquo': '’', 'sbquo': '‚',
        'ldquo': '“', 'rdquo': '”', 'bdquo': '„', 'laquo': '«', 'raquo': '»', 'lsaquo': '‹', 'rsaquo': '›',
        'bull': '•', 'middot': '·', 'prime': '′', 'Prime': '″', 'times': '×', 'divide': '÷', 'minus': '−',
        'deg': '°', 'euro': '€', 'pound': '£', 'cent': '¢', 'yen': '¥', 'copy': '©', 'reg': '®', 'trade': '™',
        'sect': '§', 'para': '¶', 'iexcl': '¡', 'iquest': '¿', 'shy': '',
        'agrave': 'à', 'aacute': 'á', 'egrave': 'è', 'eacute': 'é', 'igrave': 'ì', 'iacute': 'í',
        'ograve': 'ò', 'oacute': 'ó', 'ugrave': 'ù', 'uacute': 'ú', 'Agrave': 'À', 'Egrave': 'È', 'Eacute': 'É',
        'Igrave': 'Ì', 'Ograve': 'Ò', 'Ugrave': 'Ù', 'ccedil': 'ç', 'ntilde': 'ñ', 'auml': 'ä', 'ouml': 'ö',
        'uuml': 'ü', 'szlig': 'ß'
    }) }}
{%- endmacro -%}

{%- macro html_to_text(expression) -%}
    {{ return(adapter.dispatch('html_to_text', 'crm_kpi_warehouse')(expression)) }}
{%- endmacro -%}

{%- macro default__html_to_text(expression) -%}
    {%- set without_tags = regexp_replace_all(regexp_replace_all(expression, '(?i)<(br|/p|/div|/li|/h[1-6]|/tr|/blockquote)[^>]*>', ' '), '<[^>]*>', '') -%}
    nullif(trim({{ regexp_replace_all(html_entity_decode(without_tags), '[\t\n\r ]+', ' ') }}), '')
{%- endmacro -%}

{#- Decode HTML entities (numeric, then named, &amp; last). -#}
{%- macro html_entity_decode(expression) -%}
    {{ return(adapter.dispatch('html_entity_decode', 'crm_kpi_warehouse')(expression)) }}
{%- endmacro -%}

{%- macro _replace_named_entities(expression) -%}
    {%- set decoded = namespace(sql=expression) -%}
    {%- for name, character in html_named_entities().items() -%}
        {%- set decoded.sql = "replace(" ~ decoded.sql ~ ", '&" ~ name ~ ";', '" ~ character.replace("'", "''") ~ "')" -%}
    {%- endfor -%}
    replace({{ decoded.sql }}, '&amp;', '&')
{%- endmacro -%}

{%- macro default__html_entity_decode(expression) -%}
    {%- set numeric -%}
        array_to_string(list_transform(string_split({{ expression }}, '&#'), lambda piece, position:
            case
                when position = 1 then piece
                when regexp_matches(piece, '^[0-9]{1,7};')
                    and cast(regexp_extract(piece, '^([0-9]{1,7});', 1) as integer) between 1 and 1114111
                    and cast(regexp_extract(piece, '^([0-9]{1,7});', 1) as integer) not between 55296 and 57343
                    then chr(cast(regexp_extract(piece, '^([0-9]{1,7});', 1) as integer))
                        || substr(piece, length(regexp_extract(piece, '^[0-9]{1,7};')) + 1)
                when regexp_matches(piece, '^[xX][0-9a-fA-F]{1,6};')
                    and cast('0x' || regexp_extract(piece, '^[xX]([0-9a-fA-F]{1,6});', 1) as integer) between 1 and 1114111
                    and cast('0x' || regexp_extract(piece, '^[xX]([0-9a-fA-F]{1,6});', 1) as integer) not between 55296 and 57343
                    then chr(cast('0x' || regexp_extract(piece, '^[xX]([0-9a-fA-F]{1,6});', 1) as integer))
                        || substr(piece, length(regexp_extract(piece, '^[xX][0-9a-fA-F]{1,6};')) + 1)
                else '&#' || piece
            end), '')
    {%- endset -%}
    {{ _replace_named_entities(numeric) }}
{%- endmacro -%}

{#- Spark (untested here): code points of the Basic Multilingual Plane through UTF-16BE; others kept as typed. -#}
{%- macro spark__html_entity_decode(expression) -%}
    {%- set numeric -%}
        array_join(transform(split({{ expression }}, '&#'), (piece, position) ->
            case
                when position = 0 then piece
                when piece rlike '^[0-9]{1,5};'
                    and cast(regexp_extract(piece, '^([0-9]{1,5});', 1) as int) between 1 and 65533
                    and cast(regexp_extract(piece, '^([0-9]{1,5});', 1) as int) not between 55296 and 57343
                    then concat(decode(unhex(lpad(hex(cast(regexp_extract(piece, '^([0-9]{1,5});', 1) as int)), 4, '0')), 'UTF-16BE'),
                                substr(piece, length(regexp_extract(piece, '^([0-9]{1,5};)', 1)) + 1))
                when piece rlike '^[xX][0-9a-fA-F]{1,4};'
                    and conv(regexp_extract(piece, '^[xX]([0-9a-fA-F]{1,4});', 1), 16, 10) not between 55296 and 57343
                    then concat(decode(unhex(lpad(regexp_extract(piece, '^[xX]([0-9a-fA-F]{1,4});', 1), 4, '0')), 'UTF-16BE'),
                                substr(piece, length(regexp_extract(piece, '^([xX][0-9a-fA-F]{1,4};)', 1)) + 1))
                else concat('&#', piece)
            end), '')
    {%- endset -%}
    {{ _replace_named_entities(numeric) }}
{%- endmacro -%}

{#- Path of a URL without its trailing slash ("https://x.it/blog/slug/" -> "/blog/slug"; the root stays "/"), to join GA4 page paths.
    trim(trailing ... from ...): Spark's two-argument rtrim is rtrim(trim_chars, string), DuckDB's rtrim(string, trim_chars). -#}
{%- macro url_page_path(url) -%}
    case
        when {{ url }} is null then null
        else coalesce(nullif(trim(trailing '/' from regexp_extract({{ url }}, '^[a-zA-Z]+://[^/?#]+(/[^?#]*)', 1)), ''), '/')
    end
{%- endmacro -%}
