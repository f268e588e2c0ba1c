for (const th of document.querySelectorAll("table.sortable th")) {
  th.addEventListener("click", () => {
    const body = th.closest("table").tBodies[0], column = th.cellIndex;
    const ascending = th.getAttribute("aria-sort") !== "ascending";
    for (const other of th.parentNode.children) other.removeAttribute("aria-sort");
    th.setAttribute("aria-sort", ascending ? "ascending" : "descending");
    const rows = Array.from(body.rows).sort((a, b) => {
      const x = a.cells[column], y = b.cells[column], xEmpty = x.textContent === "", yEmpty = y.textContent === "";
      if (xEmpty || yEmpty) return xEmpty - yEmpty;
      const order = "sort" in x.dataset && "sort" in y.dataset
        ? x.dataset.sort - y.dataset.sort
        : x.textContent.localeCompare(y.textContent, undefined, { numeric: true });
      return ascending ? order : -order;
    });
    body.append(...rows);
  });
}
