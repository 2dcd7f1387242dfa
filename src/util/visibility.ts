/**
 * Who may read what Rulebook writes. Text written to a repository (the dashboard, a bundle preview,
 * an incident, their hidden markers) is read by that repository's readers, so it may name another
 * repository only when each of those readers can see that repository too. Pure.
 */

export type Visibility = "public" | "internal" | "private";

/** How far a visibility reaches: everyone, the enterprise's members, the repository's collaborators. */
const REACH: Record<Visibility, number> = { private: 0, internal: 1, public: 2 };

/**
 * A repository's visibility as GitHub reports it. A payload that says neither `visibility` nor
 * `private: false` is taken as private: an unknown reach is treated as the narrowest.
 */
export function visibilityOf(repository: {
  visibility?: string | null;
  private?: boolean | null;
}): Visibility {
  const { visibility } = repository;
  if (visibility === "public" || visibility === "internal" || visibility === "private") return visibility;
  return repository.private === false ? "public" : "private";
}

/** Whether text written where readers see `target` may name a repository of visibility `named`. */
export function mayName(target: Visibility, named: Visibility): boolean {
  return REACH[target] <= REACH[named];
}
