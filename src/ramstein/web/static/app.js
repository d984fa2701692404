// Draw every chart of the page from the figure JSON the server embedded next to it.
document.addEventListener("DOMContentLoaded", () => {
  for (const el of document.querySelectorAll(".chart")) {
    const source = el.querySelector("script.figure-data");
    if (!source || typeof Plotly === "undefined") continue;
    const figure = JSON.parse(source.textContent);
    Plotly.newPlot(el, figure.data, figure.layout, {
      displaylogo: false, responsive: true, showLink: false, showSendToCloud: false,
    }).then(() => el.setAttribute("data-drawn", "true"));
  }
});
