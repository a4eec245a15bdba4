import { expect, test } from '@playwright/test';

test.describe('home page', () => {
  test('connects to the signaling server and shows a round-trip time', async ({ page }) => {
    await page.goto('/');
    await expect(page.getByTestId('connection-state')).toHaveAttribute('data-state', 'connected');
    await expect(page.getByTestId('rtt')).toHaveText(/^\d+(\.\d+)? ms$/);
    await page.screenshot({ path: test.info().outputPath('home.png') });
  });
});
