'use strict';
// Photo change page: a click on the preview sets the focal point fields (0..1 across and
// down). Without JavaScript the two number fields work as they are.
document.addEventListener('DOMContentLoaded', () => {
    const preview = document.querySelector('img.focal-preview');
    const across = document.getElementById('id_focal_x');
    const down = document.getElementById('id_focal_y');
    if (!preview || !across || !down) {
        return;
    }
    preview.style.cursor = 'crosshair';
    preview.addEventListener('click', (event) => {
        const box = preview.getBoundingClientRect();
        const share = (offset, length) => Math.min(1, Math.max(0, offset / length)).toFixed(2);
        across.value = share(event.clientX - box.left, box.width);
        down.value = share(event.clientY - box.top, box.height);
    });
});
