// Diagrams are shown at their own size (legible labels, scrolled in their region); the
// button beside each shrinks it to the window's width and back. Without script the
// diagram stays at its own size.
document.addEventListener("DOMContentLoaded", () => {
  document.querySelectorAll(".diagram-zoom").forEach((holder) => {
    const button = holder.querySelector(".diagram-tools button");
    const diagram = holder.querySelector(".flow-diagram");
    if (!button || !diagram) return;
    button.hidden = false;
    button.addEventListener("click", () => {
      const fit = diagram.classList.toggle("fit");
      button.setAttribute("aria-pressed", String(fit));
      button.textContent = fit ? "元の大きさで表示" : "画面の幅に縮めて表示";
    });
  });
});
