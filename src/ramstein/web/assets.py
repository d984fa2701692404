"""The dashboard's static files, served from the installed packages: nothing leaves the host."""

from __future__ import annotations

from importlib.resources import files

from fastapi import APIRouter
from fastapi.responses import FileResponse, Response

router = APIRouter(include_in_schema=False)
STATIC = files("ramstein.web") / "static"
PLOTLY_JS = files("plotly") / "package_data" / "plotly.min.js"
CACHE = {"Cache-Control": "public, max-age=86400"}


@router.get("/static/plotly.min.js")
def plotly_js() -> FileResponse:
    """plotly.js as shipped inside the installed plotly package."""
    return FileResponse(str(PLOTLY_JS), media_type="text/javascript", headers=CACHE)


@router.get("/static/{name}")
def static(name: str) -> Response:
    """The dashboard's own stylesheet and script."""
    allowed = {"app.css": "text/css", "app.js": "text/javascript"}
    if name not in allowed:
        return Response(status_code=404)
    return Response((STATIC / name).read_text("utf-8"), media_type=allowed[name], headers=CACHE)
