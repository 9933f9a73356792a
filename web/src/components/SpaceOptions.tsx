// The options of a choice among the member's private spaces, which the leaderboard and the roadmap both offer.

/** First `all` (the value "": the public lab, or every space), then each space by its name. */
export function SpaceOptions({ spaces, all }: { spaces: string[]; all: string }) {
  return (
    <>
      <option value="">{all}</option>
      {spaces.map((space) => (
        <option value={space} key={space}>{space}</option>
      ))}
    </>
  );
}
