package org.ntkworkbench.plot;

import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;
import org.ntkworkbench.io.AtomicFiles;

/**
 * A labelled matrix of counts as a picture (a confusion matrix: rows true class, columns predicted),
 * written as {@code <name>.png} and {@code <name>.svg} like every plot. Cell shade is the count over
 * its row's total; the count is printed in each cell.
 */
public final class Heatmap {
    private Heatmap() {}

    private static final int CELL = 44;
    private static final int LEFT = 110;
    private static final int TOP = 60;

    /** Writes the picture; returns the PNG and SVG paths. */
    public static List<Path> save(int[][] counts, List<String> labels, String title, String xLabel, String yLabel, Path dir, String name)
            throws IOException {
        int k = counts.length;
        int w = LEFT + k * CELL + 20, h = TOP + k * CELL + 60;
        Files.createDirectories(dir);
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, w, h);
        StringBuilder svg = new StringBuilder();
        svg.append("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"").append(w).append("\" height=\"").append(h)
                .append("\" font-family=\"sans-serif\">\n<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n");
        g.setColor(Color.BLACK);
        g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 14));
        g.drawString(title, 10, 20);
        svg.append(text(10, 20, 14, "bold", "start", title));
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 11));
        FontMetrics fm = g.getFontMetrics();
        for (int i = 0; i < k; i++) {
            long row = 0;
            for (int j = 0; j < k; j++) {
                row += counts[i][j];
            }
            String lab = i < labels.size() ? labels.get(i) : String.valueOf(i);
            g.setColor(Color.BLACK);
            g.drawString(lab, LEFT - 6 - fm.stringWidth(lab), TOP + i * CELL + CELL / 2 + 4);
            svg.append(text(LEFT - 6, TOP + i * CELL + CELL / 2 + 4, 11, "normal", "end", lab));
            for (int j = 0; j < k; j++) {
                double frac = row == 0 ? 0 : (double) counts[i][j] / row;
                int shade = (int) Math.round(255 * (1 - frac));
                Color c = new Color(shade, shade, 255);
                int x = LEFT + j * CELL, y = TOP + i * CELL;
                g.setColor(c);
                g.fillRect(x, y, CELL, CELL);
                g.setColor(Color.LIGHT_GRAY);
                g.drawRect(x, y, CELL, CELL);
                String s = String.valueOf(counts[i][j]);
                g.setColor(frac > 0.5 ? Color.WHITE : Color.BLACK);
                g.drawString(s, x + (CELL - fm.stringWidth(s)) / 2, y + CELL / 2 + 4);
                svg.append(String.format("<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" fill=\"rgb(%d,%d,255)\" stroke=\"#ccc\"/>%n",
                        x, y, CELL, CELL, shade, shade));
                svg.append(text(x + CELL / 2, y + CELL / 2 + 4, 11, "normal", "middle", s).replace("<text ",
                        "<text fill=\"" + (frac > 0.5 ? "white" : "black") + "\" "));
            }
        }
        g.setColor(Color.BLACK);
        for (int j = 0; j < k; j++) {
            String lab = String.valueOf(j);
            g.drawString(lab, LEFT + j * CELL + (CELL - fm.stringWidth(lab)) / 2, TOP + k * CELL + 16);
            svg.append(text(LEFT + j * CELL + CELL / 2, TOP + k * CELL + 16, 11, "normal", "middle", lab));
        }
        g.drawString(xLabel, LEFT + (k * CELL - fm.stringWidth(xLabel)) / 2, TOP + k * CELL + 40);
        svg.append(text(LEFT + k * CELL / 2, TOP + k * CELL + 40, 11, "normal", "middle", xLabel));
        g.drawString(yLabel, 10, TOP - 8);
        svg.append(text(10, TOP - 8, 11, "normal", "start", yLabel));
        g.dispose();
        svg.append("</svg>\n");
        Path png = dir.resolve(name + ".png"), svgFile = dir.resolve(name + ".svg");
        java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
        ImageIO.write(img, "png", bytes);
        AtomicFiles.write(png, bytes::writeTo);
        AtomicFiles.writeString(svgFile, svg.toString());
        return List.of(png, svgFile);
    }

    private static String text(int x, int y, int size, String weight, String anchor, String s) {
        String esc = s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
        return "<text x=\"" + x + "\" y=\"" + y + "\" font-size=\"" + size + "\" font-weight=\"" + weight + "\" text-anchor=\""
                + anchor + "\">" + esc + "</text>\n";
    }
}
