"""The API's interactive documentation, Swagger UI served from the installed package.

FastAPI's own docs page loads Swagger UI from a CDN and starts it with an inline script;
this one loads nothing from outside the host and has no inline script (see the CSP).
"""

from __future__ import annotations

from fastapi import APIRouter
from fastapi.responses import FileResponse, HTMLResponse, Response
from swagger_ui_bundle import swagger_ui_path

ASSETS = {
    "swagger-ui.css": "text/css",
    "swagger-ui-bundle.js": "text/javascript",
    "favicon-32x32.png": "image/png",
}
CACHE = {"Cache-Control": "public, max-age=86400"}


def router_for(prefix: str, openapi_url: str) -> APIRouter:
    """Routes for `{prefix}/docs` and its assets, reading the schema at `openapi_url`."""
    router = APIRouter(prefix=f"{prefix}/docs", include_in_schema=False)
    page = f"""<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <title>Ramstein API</title>
  <link rel="stylesheet" href="{prefix}/docs/swagger-ui.css">
  <link rel="icon" type="image/png" href="{prefix}/docs/favicon-32x32.png">
</head>
<body>
<div id="swagger-ui" data-openapi-url="{openapi_url}"></div>
<script src="{prefix}/docs/swagger-ui-bundle.js"></script>
<script src="{prefix}/docs/start.js"></script>
</body>
</html>
"""
    start = """window.addEventListener("load", () => {
  const root = document.getElementById("swagger-ui");
  window.ui = SwaggerUIBundle({
    url: root.dataset.openapiUrl,
    dom_id: "#swagger-ui",
    deepLinking: true,
    presets: [SwaggerUIBundle.presets.apis],
  });
});
"""

    @router.get("", response_class=HTMLResponse)
    def docs() -> HTMLResponse:
        """Swagger UI over the OpenAPI document."""
        return HTMLResponse(page)

    @router.get("/start.js")
    def start_script() -> Response:
        """The script that starts Swagger UI (a file, so the CSP needs no inline script)."""
        return Response(start, media_type="text/javascript", headers=CACHE)

    @router.get("/{name}")
    def asset(name: str) -> Response:
        """Swagger UI's own files, from the swagger-ui-bundle package."""
        if name not in ASSETS:
            return Response(status_code=404)
        return FileResponse(str(swagger_ui_path / name), media_type=ASSETS[name], headers=CACHE)

    return router
