/** The search box in the site header (the layout shows it to owners only): a plain GET form to /search. */
export function HeaderSearch() {
  return (
    <form action="/search" method="get" role="search" className="header-search">
      <label htmlFor="header-search-input" className="visually-hidden">
        Search events
      </label>
      <input id="header-search-input" type="search" name="q" placeholder="Search events, actors, codes…" />
    </form>
  );
}
