"""QR codes drawn as SVG, base64-encoded for an `<img src="data:image/svg+xml;base64,...">`: a
sign-in link, a badge, an authenticator's setup key."""

import base64
import io

import qrcode
import qrcode.image.svg


def qr_svg_base64(text: str, *, box_size: int = 10) -> str:
    image = qrcode.make(text, image_factory=qrcode.image.svg.SvgPathImage, box_size=box_size)
    buffer = io.BytesIO()
    image.save(buffer)
    return base64.b64encode(buffer.getvalue()).decode()
