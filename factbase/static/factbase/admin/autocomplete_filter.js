'use strict';
// A changelist's autocomplete filters (factbase/admin/changelists.py): picking a row in the
// box goes to the same list with ?<parameter>=<id> (from page 1); clearing the box drops it.
{
    const $ = django.jQuery;
    $(function() {
        $('#changelist-filter select.fb-autocomplete-filter').on('change', function() {
            const params = new URLSearchParams(window.location.search);
            const value = $(this).val();
            if (value) {
                params.set(this.name, value);
            } else {
                params.delete(this.name);
            }
            params.delete('p');
            params.delete('e');
            window.location.search = params.toString();
        });
    });
}
