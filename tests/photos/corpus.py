"""Upload test corpus, made with Pillow (and by hand where Pillow would refuse to write
something so hostile): good photos, and every kind of bad file the library refuses."""

import io
import struct
import zlib

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

GPS_IFD = 0x8825
EXIF_IFD = 0x8769
ORIENTATION = 0x0112
MAKE = 0x010F
MAKER_NOTE = 0x927C


def upload(name, data, content_type="image/jpeg"):
    return SimpleUploadedFile(name, data, content_type=content_type)


def encoded(image, image_format, **options):
    buffer = io.BytesIO()
    image.save(buffer, image_format, **options)
    return buffer.getvalue()


def jpeg(size=(64, 48), color="navy", name="photo.jpg"):
    return upload(name, encoded(Image.new("RGB", size, color), "JPEG"))


def png(size=(64, 48), color="navy", name="photo.png"):
    return upload(name, encoded(Image.new("RGB", size, color), "PNG"), "image/png")


def photo_with_location_turned_on_its_side():
    """A 400×300 JPEG whose EXIF says "rotate 90°" and carries a GPS position, the camera
    maker and a maker note."""
    image = Image.new("RGB", (400, 300), "darkgreen")
    image.paste((255, 0, 0), (0, 0, 40, 40))  # a red corner, to see where it ends up
    exif = Image.Exif()
    exif[ORIENTATION] = 6
    exif[MAKE] = "Examplecam"
    exif.get_ifd(GPS_IFD)[2] = (50.0, 27.0, 0.0)
    exif.get_ifd(EXIF_IFD)[MAKER_NOTE] = b"serial 12345"
    return upload("field.jpg", encoded(image, "JPEG", exif=exif))


def red_at_the_left(size=(400, 100)):
    """Blue, with a red square filling the left quarter."""
    image = Image.new("RGB", size, "blue")
    image.paste((255, 0, 0), (0, 0, size[0] // 4, size[1]))
    return upload("red-left.png", encoded(image, "PNG"), "image/png")


def truncated_jpeg():
    noise = Image.effect_noise((300, 300), 80).convert("RGB")
    data = encoded(noise, "JPEG", quality=95)
    return upload("cut-short.jpg", data[: len(data) // 2])


def corrupt_jpeg():
    data = bytearray(encoded(Image.new("RGB", (64, 64), "red"), "JPEG"))
    data[200:400] = b"\xff" * 200
    return upload("corrupt.jpg", bytes(data))


def document_renamed_jpg():
    return upload("report.jpg", b"%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\n%%EOF\n")


def svg(name="logo.svg"):
    drawing = b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'
    return upload(name, drawing, "image/svg+xml")


def tiff_renamed_jpg():
    return upload("scan.jpg", encoded(Image.new("RGB", (32, 32), "white"), "TIFF"))


def chunk(kind, data):
    body = kind + data
    return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))


def bomb_png(width=30_000, height=30_000):
    """A PNG of a few dozen bytes whose header declares `width` × `height` pixels: decoding
    it would take gigabytes (a decompression bomb)."""
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    pixels = zlib.compress(b"\x00" * 64)
    data = b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", pixels)
    return upload("tiny.png", data + chunk(b"IEND", b""), "image/png")


def animated_gif(frames):
    colours = [(n * 7 % 256, n * 13 % 256, n * 29 % 256) for n in range(frames)]
    images = [Image.new("RGB", (8, 8), colour) for colour in colours]
    data = encoded(images[0], "GIF", save_all=True, append_images=images[1:], duration=40)
    return upload("animation.gif", data, "image/gif")
