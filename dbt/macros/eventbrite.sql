{#-
    Eventbrite helpers. The attendee has no check-in timestamp: the closest is the `changed` time
    of the barcode whose status is `used` (set when it was scanned); list functions differ by
    dialect, hence adapter.dispatch.
-#}

{%- macro eventbrite_used_barcode_changed(barcodes) -%}
    {{ return(adapter.dispatch('eventbrite_used_barcode_changed', 'crm_kpi_warehouse')(barcodes)) }}
{%- endmacro -%}

{%- macro default__eventbrite_used_barcode_changed(barcodes) -%}
    list_max(list_transform(list_filter({{ barcodes }}, lambda barcode: barcode.status = 'used'), lambda barcode: barcode.changed))
{%- endmacro -%}

{%- macro spark__eventbrite_used_barcode_changed(barcodes) -%}
    array_max(transform(filter({{ barcodes }}, barcode -> barcode.status = 'used'), barcode -> barcode.changed))
{%- endmacro -%}

{#-
    Kind of event from Eventbrite's format_id and online_event, by var('eventbrite_event_types'):
    keys "<format_id>/online" or "<format_id>/offline" win over a bare "<format_id>".
-#}
{%- macro eventbrite_event_type(format_id, online_event) -%}
    {%- set mapping = var('eventbrite_event_types', {'2/online': 'webinar', '9': 'workshop', '3': 'trade_fair',
                                                     '10/offline': 'store_event', '11/offline': 'store_event'}) -%}
    case
        {%- for key, event_type in mapping.items() if '/' in key %}
        {%- set parts = key.split('/') %}
        when {{ format_id }} = '{{ parts[0] }}' and {{ online_event }} = {{ 'true' if parts[1] == 'online' else 'false' }} then '{{ event_type }}'
        {%- endfor %}
        {%- for key, event_type in mapping.items() if '/' not in key %}
        when {{ format_id }} = '{{ key }}' then '{{ event_type }}'
        {%- endfor %}
    end
{%- endmacro -%}
