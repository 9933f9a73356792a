// The web lab's entry: picks the screen for the address. A new screen is a page component and one line here.
import { Fragment, render } from "preact";
import { loadBrand } from "./brand";
import { Layout } from "./components/Layout";
import { locale, applyLabLanguage } from "./i18n";
import { startLive } from "./live";
import { AccountPage } from "./pages/Account";
import { CampaignFormPage, CampaignPage, CampaignsPage } from "./pages/Campaigns";
import { ContestFormPage, ContestPage, ContestsPage, EnterContestPage } from "./pages/Contests";
import { LaunchesPage, LeaderboardPage, ProfilePage } from "./pages/Community";
import { PrivateThreadPage, PrivateThreadsPage, QuestionPage, QuestionsPage } from "./pages/Conversations";
import { IdeaPage } from "./pages/Idea";
import { IdeasPage } from "./pages/Ideas";
import { InboxPage } from "./pages/Inbox";
import { InitiativeFormPage, InitiativePage, YouAskedPage } from "./pages/Initiatives";
import { InvitationPage, ResetPasswordPage, UnsubscribePage, VerifyPage } from "./pages/MailLinks";
import { ModerationPage } from "./pages/Moderation";
import { NotFoundPage } from "./pages/NotFound";
import { PromiseFiguresPage, TeamQueuePage } from "./pages/Promise";
import { RoadmapPage } from "./pages/Roadmap";
import { SignedInPage, SignInPage } from "./pages/SignIn";
import { SignUpPage } from "./pages/SignUp";
import { SubmitPage } from "./pages/Submit";
import { WebhooksPage } from "./pages/Webhooks";
import { match, place, startRouting } from "./router";
import { useStore } from "./store";
import "./styles.css";

type Screen = (params: Record<string, string>) => preact.JSX.Element;

const ROUTES: [string, Screen][] = [
  ["/", () => <IdeasPage />],
  ["/ideas", () => <IdeasPage />],
  ["/ideas/:id", ({ id }) => <IdeaPage id={id} key={id} />],
  ["/submit", () => <SubmitPage />],
  ["/roadmap", () => <RoadmapPage />],
  ["/initiatives/new", () => <InitiativeFormPage />],
  ["/initiatives/:id", ({ id }) => <InitiativePage id={id} key={id} />],
  ["/you-asked-we-did", () => <YouAskedPage />],
  ["/inbox", () => <InboxPage />],
  ["/sign-in", () => <SignInPage />],
  ["/sign-up", () => <SignUpPage />],
  ["/signed-in", () => <SignedInPage />],
  ["/verify", () => <VerifyPage />],
  ["/reset-password", () => <ResetPasswordPage />],
  ["/invitations", () => <InvitationPage />],
  ["/unsubscribe", () => <UnsubscribePage />],
  ["/account", () => <AccountPage />],
  ["/staff/webhooks", () => <WebhooksPage />],
  ["/campaigns", () => <CampaignsPage />],
  ["/campaigns/new", () => <CampaignFormPage />],
  ["/campaigns/:id", ({ id }) => <CampaignPage id={id} key={id} />],
  ["/campaigns/:id/edit", ({ id }) => <CampaignFormPage id={id} key={id} />],
  ["/contests", () => <ContestsPage />],
  ["/contests/new", () => <ContestFormPage />],
  ["/contests/:id", ({ id }) => <ContestPage id={id} key={id} />],
  ["/contests/:id/edit", ({ id }) => <ContestFormPage id={id} key={id} />],
  ["/contests/:id/enter", ({ id }) => <EnterContestPage id={id} key={id} />],
  ["/questions", () => <QuestionsPage />],
  ["/questions/:id", ({ id }) => <QuestionPage id={id} key={id} />],
  ["/moderation", () => <ModerationPage />],
  ["/private", () => <PrivateThreadsPage />],
  ["/private/:id", ({ id }) => <PrivateThreadPage id={id} key={id} />],
  ["/leaderboard", () => <LeaderboardPage />],
  ["/launches", () => <LaunchesPage />],
  ["/members/:id", ({ id }) => <ProfilePage id={id} key={id} />],
  ["/team/queue", () => <TeamQueuePage />],
  ["/promise", () => <PromiseFiguresPage />],
];

function App() {
  const { path } = useStore(place);
  useStore(locale); // a language switch re-renders every screen
  for (const [pattern, screen] of ROUTES) {
    const params = match(pattern, path);
    if (params)
      return (
        <Layout>
          <Fragment key={pattern}>{screen(params)}</Fragment>
        </Layout>
      );
  }
  return (
    <Layout>
      <NotFoundPage />
    </Layout>
  );
}

document.documentElement.lang = locale.get();
startRouting();
startLive();
// The brand first, so the first screen is already the bank's lab, in its language.
loadBrand().then((lab) => {
  if (lab.default_language) applyLabLanguage(lab.default_language);
  render(<App />, document.getElementById("app")!);
});
