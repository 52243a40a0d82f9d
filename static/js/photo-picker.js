'use strict';
// Photo picker in the admin: the library search shows a thumbnail beside each photo.
// Loaded after Django's autocomplete.js and before it starts its widgets, so the admin's
// own initialisation (page load and new inline rows) goes through this version.
{
    const $ = django.jQuery;
    const plain = $.fn.djangoAdminSelect2;

    function withThumbnail(result) {
        if (!result.thumbnail) {
            return result.text;
        }
        const row = document.createElement('span');
        row.className = 'photo-picker-result';
        const image = document.createElement('img');
        image.src = result.thumbnail;
        image.alt = '';
        image.width = 48;
        image.height = 48;
        const text = document.createElement('span');
        text.textContent = result.text;
        row.append(image, text);
        return $(row);
    }

    $.fn.djangoAdminSelect2 = function() {
        plain.call(this.not('[data-photo-picker]'));
        $.each(this.filter('[data-photo-picker]'), function(i, element) {
            $(element).select2({
                ajax: {
                    data: (params) => ({
                        term: params.term,
                        page: params.page,
                        app_label: element.dataset.appLabel,
                        model_name: element.dataset.modelName,
                        field_name: element.dataset.fieldName
                    })
                },
                templateResult: withThumbnail
            });
        });
        return this;
    };
}
