package io.tern.bench;

import javax.imageio.ImageIO;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.AffineTransform;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * A bar chart of Tern / nats-server ratios drawn with Java2D in headless mode, one bar per metric, with a
 * reference line at 1.0.
 */
final class RatioChart {

    /** One bar: its label, the ratio, and whether a higher ratio is better for Tern. */
    record Bar(String label, double ratio, boolean higherIsBetter) {
    }

    private static final Color BETTER_HIGH = new Color(0x2E7D32);
    private static final Color BETTER_LOW = new Color(0x1565C0);

    private RatioChart() {
    }

    static void write(List<Bar> bars, String title, List<String> notes, Path png) throws IOException {
        System.setProperty("java.awt.headless", "true");
        int left = 70;
        int right = 110;
        int top = 70 + 18 * notes.size();
        int bottom = 170;
        int barSlot = 56;
        int width = Math.max(700, left + right + barSlot * bars.size());
        int height = 620;
        int plotHeight = height - top - bottom;

        double maxRatio = 1.5;
        for (Bar bar : bars) {
            if (Double.isFinite(bar.ratio())) {
                maxRatio = Math.max(maxRatio, bar.ratio() * 1.1);
            }
        }
        double yMax = Math.ceil(maxRatio * 4) / 4;

        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
            g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
            g.setColor(Color.WHITE);
            g.fillRect(0, 0, width, height);

            g.setColor(Color.BLACK);
            g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 16));
            g.drawString(title, left, 28);
            g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
            g.setColor(BETTER_HIGH);
            g.fillRect(left, 40, 12, 12);
            g.setColor(Color.BLACK);
            g.drawString("throughput ratio (higher = Tern faster)", left + 18, 51);
            g.setColor(BETTER_LOW);
            g.fillRect(left + 290, 40, 12, 12);
            g.setColor(Color.BLACK);
            g.drawString("latency ratio (lower = Tern faster)", left + 308, 51);
            g.setColor(Color.RED);
            g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 12));
            for (int i = 0; i < notes.size(); i++) {
                g.drawString(notes.get(i), left, 70 + 18 * i);
            }
            g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));

            // Axis and grid.
            FontMetrics metrics = g.getFontMetrics();
            for (double tick = 0; tick <= yMax + 1e-9; tick += 0.25) {
                int y = top + plotHeight - (int) Math.round(tick / yMax * plotHeight);
                g.setColor(new Color(0xE0E0E0));
                g.drawLine(left, y, width - right, y);
                g.setColor(Color.DARK_GRAY);
                String label = String.format(Locale.ROOT, "%.2f", tick);
                g.drawString(label, left - 8 - metrics.stringWidth(label), y + 4);
            }
            g.setColor(Color.BLACK);
            g.drawLine(left, top, left, top + plotHeight);
            g.drawLine(left, top + plotHeight, width - right, top + plotHeight);

            for (int i = 0; i < bars.size(); i++) {
                Bar bar = bars.get(i);
                int x = left + i * barSlot + 10;
                int barWidth = barSlot - 20;
                if (Double.isFinite(bar.ratio())) {
                    int h = (int) Math.round(Math.min(bar.ratio(), yMax) / yMax * plotHeight);
                    g.setColor(bar.higherIsBetter() ? BETTER_HIGH : BETTER_LOW);
                    g.fillRect(x, top + plotHeight - h, barWidth, h);
                    g.setColor(Color.BLACK);
                    String value = String.format(Locale.ROOT, "%.2f", bar.ratio());
                    g.drawString(value, x + (barWidth - metrics.stringWidth(value)) / 2, top + plotHeight - h - 4);
                } else {
                    g.setColor(Color.RED);
                    g.drawString("n/a", x + 4, top + plotHeight - 4);
                }
                // Rotated label under the bar.
                AffineTransform saved = g.getTransform();
                g.setColor(Color.BLACK);
                g.translate(x + barWidth / 2 + 4, top + plotHeight + 8);
                g.rotate(Math.toRadians(60));
                g.drawString(bar.label(), 0, 0);
                g.setTransform(saved);
            }

            g.setColor(Color.RED);
            g.setStroke(new BasicStroke(1.5f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f,
                    new float[] {6f, 4f}, 0f));
            int one = top + plotHeight - (int) Math.round(1.0 / yMax * plotHeight);
            g.drawLine(left, one, width - right, one);
        } finally {
            g.dispose();
        }
        if (!ImageIO.write(image, "png", png.toFile())) {
            throw new IOException("no PNG writer available");
        }
    }
}
