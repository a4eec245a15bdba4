import { expect, test } from '@playwright/test';

test.describe('lobby', () => {
  test('remembers the name, starts a new room, and lists active rooms live', async ({ browser, page }) => {
    await page.goto('/');
    await expect(page.getByRole('heading', { name: 'Confab' })).toBeVisible();
    await expect(page.getByText('live')).toBeVisible();
    await page.getByLabel('Your name').fill('Dana');

    // Someone else starts a call: the list updates without a reload.
    const otherContext = await browser.newContext();
    const other = await otherContext.newPage();
    await other.goto('/r/team-standup');
    await other.getByLabel('Your name').fill('Eve');
    await other.getByRole('button', { name: 'Join now' }).click();
    await expect(page.getByRole('list', { name: 'Active rooms' }).getByRole('button', { name: /team-standup/ })).toContainText('1');
    await page.screenshot({ path: test.info().outputPath('lobby.png') });
    await otherContext.close();

    await page.getByRole('button', { name: 'New room' }).click();
    await expect(page).toHaveURL(/\/r\/[a-z]+-[a-z]+-\d{2}$/);
    await expect(page.getByLabel('Your name')).toHaveValue('Dana');
    await expect(page.getByRole('button', { name: 'Join now' })).toBeEnabled();
  });

  test('joins by invite link and explains a bad room name', async ({ page }) => {
    await page.goto('/');
    await page.getByLabel('Room name or invite link').fill('not a room!');
    await page.getByRole('button', { name: 'Join', exact: true }).click();
    await expect(page.getByText('Enter a room name')).toBeVisible();
    await page.getByLabel('Room name or invite link').fill('http://example.org/r/design-review');
    await page.getByRole('button', { name: 'Join', exact: true }).click();
    await expect(page).toHaveURL(/\/r\/design-review$/);
  });

  test('shows a friendly page for an invalid room id', async ({ page }) => {
    await page.goto('/r/bad*id');
    await expect(page.getByRole('heading', { name: 'That is not a room name' })).toBeVisible();
    await page.getByRole('link', { name: 'Go to the lobby' }).click();
    await expect(page).toHaveURL(/\/$/);
  });
});
